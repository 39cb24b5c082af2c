package dev.resnetops.contracts.api;

/** The life of a workflow run. Terminal states never change again. */
public enum WorkflowRunState {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }
}
