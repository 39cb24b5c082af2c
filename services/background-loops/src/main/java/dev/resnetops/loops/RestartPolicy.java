package dev.resnetops.loops;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a loop waits before running its body again after a failure: {@code initial}, doubled with every
 * failure in a row, never more than {@code max}. A failure "in a row" is one with no progress tick since the
 * previous one, so a loop that recovered and fails again hours later starts again from {@code initial}.
 *
 * <p>There is no limit on the number of restarts: the failures that reach a loop are, in practice, outages
 * of Kafka, PostgreSQL or MLflow, which a service must outlast rather than give up on (the system tests
 * restart the broker under load). The health shows a restarting loop with its error meanwhile.
 */
public record RestartPolicy(Duration initial, Duration max) {

    public RestartPolicy {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("the first restart backoff must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("the longest restart backoff (" + max + ") is shorter than the first ("
                    + initial + ")");
        }
    }

    /** The wait after the {@code failuresInARow}-th failure in a row (1 for the first). */
    public Duration backoffAfter(int failuresInARow) {
        if (failuresInARow < 1) {
            throw new IllegalArgumentException("failures in a row start at 1, got " + failuresInARow);
        }
        Duration backoff = initial;
        for (int i = 1; i < failuresInARow && backoff.compareTo(max) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(max) > 0 ? max : backoff;
    }
}
