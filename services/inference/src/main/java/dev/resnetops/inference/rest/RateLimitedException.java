package dev.resnetops.inference.rest;

/** A caller of {@code POST /classify} over its rate; answered 429 with {@code Retry-After}. */
public class RateLimitedException extends RuntimeException {

    private final long retryAfterSeconds;

    RateLimitedException(String caller, double perSecond, int burst, long retryAfterSeconds) {
        super("too many requests from '" + caller + "': POST /classify allows " + perSecond + " per second per caller"
                + " (bursts of " + burst + "); retry in " + retryAfterSeconds + " s, or send many images through the"
                + " Kafka stream (./mlops stream), which has no such limit");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
