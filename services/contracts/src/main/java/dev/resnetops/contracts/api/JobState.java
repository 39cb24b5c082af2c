package dev.resnetops.contracts.api;

/** The life of a training job. Terminal states never change again. */
public enum JobState {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
