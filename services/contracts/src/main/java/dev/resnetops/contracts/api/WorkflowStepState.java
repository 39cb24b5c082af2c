package dev.resnetops.contracts.api;

/**
 * The life of one step of a workflow run. A failed attempt that will be retried goes back to PENDING
 * (with a later {@code nextAttemptAt}); FAILED means its attempts are spent. SKIPPED: a step it
 * depends on did not succeed.
 */
public enum WorkflowStepState {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED;

    public boolean isTerminal() {
        return this != PENDING && this != RUNNING;
    }
}
