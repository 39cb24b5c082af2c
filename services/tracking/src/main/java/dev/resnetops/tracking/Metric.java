package dev.resnetops.tracking;

import java.time.Instant;
import java.util.Objects;

/**
 * One metric value as MLflow stores it. MLflow never overwrites a metric: logging the same key again
 * appends a point to its history, so a retried request can leave duplicates behind.
 *
 * @param key         the metric name (at most {@value MlflowLimits#MAX_KEY_LENGTH} characters)
 * @param value       the value; NaN and infinities are allowed
 * @param timestampMs when it was measured, epoch milliseconds (MLflow requires a non-negative long)
 * @param step        the training step or epoch it belongs to
 */
public record Metric(String key, double value, long timestampMs, long step) {

    public Metric {
        Objects.requireNonNull(key, "metric key");
        if (timestampMs < 0) {
            throw new IllegalArgumentException("metric '" + key + "': timestamp must be >= 0 (epoch ms), got " + timestampMs);
        }
    }

    /** A metric measured now. */
    public static Metric of(String key, double value, long step) {
        return new Metric(key, value, Instant.now().toEpochMilli(), step);
    }
}
