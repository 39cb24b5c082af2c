package dev.resnetops.inference.stream;

/** What the stream loop is doing, for health and logs. */
public enum StreamState {
    /** mlops.inference.stream.enabled=false: REST only. */
    DISABLED,
    /** Not consuming yet: no model is loaded (images wait on the topic, none is lost). */
    WAITING_FOR_MODEL,
    /** Consuming, classifying and committing. */
    RUNNING,
    /**
     * A session is open but its consumer has not heard from the group coordinator for longer than the
     * session timeout: the broker is away. Images wait on the topic; the session fails over to RECOVERING
     * as soon as it has something to commit, or carries on when the broker is back.
     */
    BROKER_UNREACHABLE,
    /** The last Kafka session failed (broker down, fenced, an Error); a new one starts after a backoff. */
    RECOVERING,
    /** Shut down, or the loop ended (the readiness check's background-loops entry says why). */
    STOPPED
}
