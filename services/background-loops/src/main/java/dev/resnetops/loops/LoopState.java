package dev.resnetops.loops;

/** What a {@link BackgroundLoop} is doing, as the readiness check reports it. */
public enum LoopState {

    /** Built and registered, not started yet. */
    NEW(false),
    /** Its body runs and ticks. */
    RUNNING(true),
    /**
     * Its body failed and runs again after a backoff, or has run again but not ticked yet. Still ready:
     * this is how a loop outlasts an outage of Kafka, PostgreSQL or MLflow, and the error is in the health.
     */
    RESTARTING(true),
    /** Its body has not ticked for longer than the loop's own threshold: blocked somewhere. */
    STUCK(false),
    /** Ended by an {@link Error}: restarting over a broken JVM or classpath would only hide it. */
    DEAD(false),
    /** Stopped on shutdown. */
    STOPPED(false),
    /** Switched off by configuration on this instance; nothing is expected of it. */
    DISABLED(true);

    private final boolean ready;

    LoopState(boolean ready) {
        this.ready = ready;
    }

    /** Whether a service with a loop in this state can be called ready. */
    public boolean ready() {
        return ready;
    }
}
