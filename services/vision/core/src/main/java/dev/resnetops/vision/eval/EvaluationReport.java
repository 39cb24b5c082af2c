package dev.resnetops.vision.eval;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of evaluating a classifier on a data set; produced by
 * {@link EvaluationAccumulator#report()} and serialised as is to {@code metrics.json}.
 *
 * @param count     number of evaluated samples
 * @param top1      fraction of samples whose arg-max prediction is the true class, in [0, 1]
 * @param top5      fraction of samples whose true class is among the {@code topK} highest logits,
 *                  in [0, 1]; named top5 because {@code topK} is 5 whenever there are at least 5
 *                  classes, and kept under that name otherwise so every report has the same keys
 * @param loss      mean cross-entropy in nats
 * @param topK      the k used for {@code top5}: {@code min(5, numClasses)}
 * @param perClass  one entry per class, ordered by class index
 * @param confusion rows = true class, columns = predicted (arg-max) class
 */
public record EvaluationReport(long count, double top1, double top5, double loss, int topK,
        List<ClassAccuracy> perClass, long[][] confusion) {

    public EvaluationReport {
        Objects.requireNonNull(perClass, "perClass");
        Objects.requireNonNull(confusion, "confusion");
        if (count < 0) {
            throw new IllegalArgumentException("expected count >= 0, found " + count);
        }
        requireFraction("top1", top1);
        requireFraction("top5", top5);
        if (!(loss >= 0.0 && loss < Double.POSITIVE_INFINITY)) {
            // Cross-entropy of a softmax is never negative; NaN or infinity means a broken model.
            throw new IllegalArgumentException("expected a finite loss >= 0, found " + loss);
        }
        if (perClass.size() != confusion.length) {
            throw new IllegalArgumentException("expected one perClass entry per confusion row ("
                    + confusion.length + "), found " + perClass.size());
        }
        if (topK < 1 || topK > Math.max(1, confusion.length)) {
            throw new IllegalArgumentException(
                    "expected 1 <= topK <= numClasses (" + confusion.length + "), found " + topK);
        }
        long[][] copy = new long[confusion.length][];
        for (int row = 0; row < confusion.length; row++) {
            if (confusion[row] == null || confusion[row].length != confusion.length) {
                throw new IllegalArgumentException("expected a square confusion matrix of size "
                        + confusion.length + ", found row " + row + " of length "
                        + (confusion[row] == null ? "null" : confusion[row].length));
            }
            copy[row] = confusion[row].clone();
        }
        // Defensive copies: a report is a value that gets logged, written and compared after the
        // accumulator that produced it has moved on.
        perClass = List.copyOf(perClass);
        confusion = copy;
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException("expected " + name + " in [0, 1], found " + value);
        }
    }

    /** Number of classes, i.e. the size of the confusion matrix. */
    public int numClasses() {
        return confusion.length;
    }

    /** A copy of the confusion matrix; rows = true class, columns = predicted class. */
    @Override
    public long[][] confusion() {
        long[][] copy = new long[confusion.length][];
        for (int row = 0; row < confusion.length; row++) {
            copy[row] = confusion[row].clone();
        }
        return copy;
    }

    /** Mean of the per-class accuracies (balanced accuracy); classes without samples count as 0. */
    public double meanClassAccuracy() {
        if (perClass.isEmpty()) {
            return 0.0;
        }
        double sum = 0.0;
        for (ClassAccuracy classAccuracy : perClass) {
            sum += classAccuracy.accuracy();
        }
        return sum / perClass.size();
    }

    /**
     * The scalar metrics keyed by {@link ClassificationMetric#key()}, in enum order, for logs and
     * run trackers that take flat name/value pairs.
     */
    public Map<String, Double> scalars() {
        Map<ClassificationMetric, Double> values = new EnumMap<>(ClassificationMetric.class);
        values.put(ClassificationMetric.COUNT, (double) count);
        values.put(ClassificationMetric.TOP1, top1);
        values.put(ClassificationMetric.TOP5, top5);
        values.put(ClassificationMetric.LOSS, loss);
        values.put(ClassificationMetric.MEAN_CLASS_ACCURACY, meanClassAccuracy());
        Map<String, Double> byKey = new LinkedHashMap<>();
        for (ClassificationMetric metric : ClassificationMetric.values()) {
            byKey.put(metric.key(), Objects.requireNonNull(values.get(metric), metric.key()));
        }
        return Collections.unmodifiableMap(byKey);
    }

    // Records compare arrays by identity; two reports with the same numbers must be equal.
    @Override
    public boolean equals(Object other) {
        return other instanceof EvaluationReport that
                && count == that.count
                && Double.compare(top1, that.top1) == 0
                && Double.compare(top5, that.top5) == 0
                && Double.compare(loss, that.loss) == 0
                && topK == that.topK
                && perClass.equals(that.perClass)
                && Arrays.deepEquals(confusion, that.confusion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, top1, top5, loss, topK, perClass, Arrays.deepHashCode(confusion));
    }

    @Override
    public String toString() {
        return "EvaluationReport[count=" + count + ", top1=" + top1 + ", top5=" + top5 + ", loss=" + loss
                + ", topK=" + topK + ", numClasses=" + confusion.length + "]";
    }
}
