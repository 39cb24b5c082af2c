package dev.resnetops.tracking;

/** The lifecycle states of an MLflow run, spelled as the REST API spells them. */
public enum RunStatus {
    RUNNING,
    SCHEDULED,
    FINISHED,
    FAILED,
    KILLED;

    /** Whether the run has ended (MLflow sets an end time for these). */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
