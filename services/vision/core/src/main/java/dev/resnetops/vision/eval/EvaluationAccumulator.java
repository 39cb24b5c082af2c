package dev.resnetops.vision.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Accumulates classification metrics over the batches of an evaluation pass, so that a data set
 * of any size is evaluated in memory proportional to {@code numClasses²} rather than to the number
 * of samples.
 *
 * <p>Tie rule: within a row, class {@code j} ranks ahead of the true class {@code y} if its logit
 * is strictly greater, or equal with {@code j < y}. The true class is a Top-k hit if its rank is
 * below {@code k}. This is exactly the order of a stable descending sort, so for k = 1 it agrees
 * with an arg-max that returns the first maximum (as {@code torch.argmax} and
 * {@code numpy.argmax} do), and the predicted class recorded in the confusion matrix is that same
 * first maximum. A model that outputs constant logits therefore gets credit only for class 0, never
 * for every class at once.
 *
 * <p>Not thread-safe: evaluation loops feed batches in order from one thread.
 */
public final class EvaluationAccumulator {

    /** Top-k accuracy uses k = 5 unless there are fewer classes than that. */
    public static final int DEFAULT_TOP_K = 5;

    private final int numClasses;
    private final int topK;
    private final long[][] confusion;
    private long count;
    private long top1Correct;
    private long topKCorrect;
    private double lossSum;

    public EvaluationAccumulator(int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("expected numClasses >= 2, found " + numClasses);
        }
        this.numClasses = numClasses;
        this.topK = Math.min(DEFAULT_TOP_K, numClasses);
        this.confusion = new long[numClasses][numClasses];
    }

    public int numClasses() {
        return numClasses;
    }

    /** The k of the Top-k accuracy: {@code min(5, numClasses)}. */
    public int topK() {
        return topK;
    }

    /** Number of samples added so far. */
    public long count() {
        return count;
    }

    /** Adds a full batch: one row of logits per label. */
    public void add(float[] logits, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        add(logits, labels, labels.length);
    }

    /**
     * Adds the first {@code n} samples of a batch.
     *
     * <p>{@code logits} is row-major {@code capacity × numClasses} and {@code labels} has
     * {@code capacity} entries; only the first {@code n <= capacity} rows are read. The capacity
     * may exceed {@code n} so that a loop can reuse its buffers for a short last batch, but
     * both arrays must agree on it: a logits length that does not match {@code labels.length ×
     * numClasses} almost always means the accumulator was built with the wrong class count, and
     * silently reading misaligned rows would produce plausible-looking garbage.
     *
     * <p>The whole batch is validated before anything is counted, so a rejected batch leaves the
     * accumulator unchanged.
     *
     * @throws IllegalArgumentException if the shapes disagree, a label is outside
     *                                  {@code [0, numClasses)} or a logit is NaN or infinite
     */
    public void add(float[] logits, int[] labels, int n) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(labels, "labels");
        validate(logits, labels, n);
        for (int row = 0; row < n; row++) {
            addRow(logits, row * numClasses, labels[row]);
        }
    }

    private void validate(float[] logits, int[] labels, int n) {
        long expectedLength = (long) labels.length * numClasses;
        if (logits.length != expectedLength) {
            throw new IllegalArgumentException("expected logits of length labels.length x numClasses = "
                    + labels.length + " x " + numClasses + " = " + expectedLength + ", found " + logits.length);
        }
        if (n < 0 || n > labels.length) {
            throw new IllegalArgumentException(
                    "expected n in [0, " + labels.length + "] (the batch capacity), found " + n);
        }
        for (int row = 0; row < n; row++) {
            int label = labels[row];
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("expected labels in [0, " + numClasses + "), found "
                        + label + " at row " + row);
            }
            int offset = row * numClasses;
            for (int column = 0; column < numClasses; column++) {
                float logit = logits[offset + column];
                if (!Float.isFinite(logit)) {
                    // A NaN or infinite logit would turn the loss into NaN for the whole report;
                    // fail at the batch that produced it, while it can still be traced.
                    throw new IllegalArgumentException("expected finite logits, found " + logit
                            + " at row " + row + ", class " + column);
                }
            }
        }
    }

    private void addRow(float[] logits, int offset, int label) {
        float labelLogit = logits[offset + label];
        int predicted = 0;
        float max = logits[offset];
        int rank = 0;
        for (int column = 0; column < numClasses; column++) {
            float logit = logits[offset + column];
            if (logit > max) {
                max = logit;
                predicted = column;
            }
            if (logit > labelLogit || (logit == labelLogit && column < label)) {
                rank++;
            }
        }
        // log-sum-exp shifted by the maximum so that no exp() overflows; the shifted terms include
        // exp(0) = 1, so the sum is >= 1 and its log can never be -infinity.
        double sum = 0.0;
        for (int column = 0; column < numClasses; column++) {
            sum += Math.exp((double) logits[offset + column] - max);
        }
        double logSumExp = max + Math.log(sum);
        lossSum += logSumExp - labelLogit;

        count++;
        if (rank == 0) {
            top1Correct++;
        }
        if (rank < topK) {
            topKCorrect++;
        }
        confusion[label][predicted]++;
    }

    /**
     * The metrics over everything added so far. The accumulator stays usable, so a long evaluation
     * can publish intermediate reports.
     *
     * @throws IllegalStateException if no sample has been added: a mean over nothing has no value
     */
    public EvaluationReport report() {
        if (count == 0) {
            throw new IllegalStateException("expected at least one evaluated sample, found 0");
        }
        long[] predictedCounts = new long[numClasses];
        for (long[] row : confusion) {
            for (int column = 0; column < numClasses; column++) {
                predictedCounts[column] += row[column];
            }
        }
        List<ClassAccuracy> perClass = new ArrayList<>(numClasses);
        for (int index = 0; index < numClasses; index++) {
            long support = 0;
            for (long cell : confusion[index]) {
                support += cell;
            }
            long correct = confusion[index][index];
            double recall = ratio(correct, support);
            perClass.add(new ClassAccuracy(index, support, correct, recall,
                    ratio(correct, predictedCounts[index]), recall));
        }
        return new EvaluationReport(count, ratio(top1Correct, count), ratio(topKCorrect, count),
                lossSum / count, topK, perClass, confusion);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
