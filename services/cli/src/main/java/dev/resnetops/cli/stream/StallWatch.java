package dev.resnetops.cli.stream;

import java.time.Duration;

/**
 * Decides when to give up waiting: when images are unanswered and nothing has been answered for
 * {@code timeout}. Measuring the silence rather than the total time lets a slow but steady service
 * (10,000 images on two cores) finish, while a stopped one (no model yet, crashed, no stream) is noticed
 * after one timeout. The silence starts at the last answer, or at the send that ended an idle period, so
 * a slow send rate is not mistaken for a silent service.
 */
final class StallWatch {

    private final long timeoutNanos;
    private long quietSince;

    StallWatch(Duration timeout, long nowNanos) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        this.quietSince = nowNanos;
    }

    /** @param outstandingBefore images unanswered just before this send */
    void sending(int outstandingBefore, long nowNanos) {
        if (outstandingBefore == 0) {
            quietSince = nowNanos;
        }
    }

    void answered(long nowNanos) {
        quietSince = Math.max(quietSince, nowNanos);
    }

    boolean stalled(int outstanding, long nowNanos) {
        return outstanding > 0 && nowNanos - quietSince > timeoutNanos;
    }
}
