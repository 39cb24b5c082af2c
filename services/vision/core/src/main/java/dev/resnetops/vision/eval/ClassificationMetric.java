package dev.resnetops.vision.eval;

import java.util.Locale;

/**
 * The scalar metrics every evaluation report carries, with the snake_case key each one is
 * published under. Training logs, {@code metrics.json}, run summaries and dashboards all look the
 * metrics up by these keys, so a metric is renamed in exactly one place or not at all.
 */
public enum ClassificationMetric {
    /** Number of evaluated samples. */
    COUNT("count"),
    /** Fraction of samples whose highest logit is the true class. */
    TOP1("top1"),
    /** Fraction of samples whose true class is among the {@code k = min(5, numClasses)} highest logits. */
    TOP5("top5"),
    /** Mean cross-entropy of the softmax of the logits against the true class, in nats. */
    LOSS("loss"),
    /** Unweighted mean of the per-class accuracies (balanced accuracy): immune to class imbalance. */
    MEAN_CLASS_ACCURACY("mean_class_accuracy");

    private final String key;

    ClassificationMetric(String key) {
        this.key = key;
    }

    /** The stable key under which this metric is written, for example {@code "top1"}. */
    public String key() {
        return key;
    }

    /** Looks a metric up by its {@link #key()}. */
    public static ClassificationMetric fromKey(String key) {
        for (ClassificationMetric metric : values()) {
            if (metric.key.equals(key)) {
                return metric;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "expected one of the metric keys %s, found \"%s\"", keys(), key));
    }

    private static String keys() {
        StringBuilder keys = new StringBuilder();
        for (ClassificationMetric metric : values()) {
            keys.append(keys.length() == 0 ? "" : ", ").append(metric.key);
        }
        return "[" + keys + "]";
    }
}
