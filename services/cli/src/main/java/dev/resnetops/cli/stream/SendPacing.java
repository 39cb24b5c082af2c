package dev.resnetops.cli.stream;

/**
 * When the next image may go out: no faster than {@code rate} images per second (0 = no limit), and
 * with at most {@code inFlight} images unanswered (0 = no limit). The second bound makes a closed loop:
 * the sender waits for answers instead of piling images up in the topic, so the measured latency is the
 * service's, not the length of a queue the sender made itself.
 */
record SendPacing(double rate, int inFlight) {

    SendPacing {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be 0 (no limit) or a positive number of images per second, got " + rate);
        }
        if (inFlight < 0) {
            throw new IllegalArgumentException("--in-flight must be 0 (no limit) or positive, got " + inFlight);
        }
    }

    /** Nanoseconds to wait before image {@code index} (0-based) may be sent; 0 when it may go now. */
    long rateDelayNanos(int index, long startNanos, long nowNanos) {
        if (rate == 0) {
            return 0;
        }
        long due = startNanos + (long) (index / rate * 1e9);
        return Math.max(0, due - nowNanos);
    }

    boolean windowOpen(int outstanding) {
        return inFlight == 0 || outstanding < inFlight;
    }
}
