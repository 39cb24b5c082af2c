package dev.resnetops.vision.eval;

/**
 * How well one class was recognised.
 *
 * <p>{@code support} is the number of samples whose true class is {@code index} (the confusion
 * matrix row sum) and {@code correct} how many of them were predicted as {@code index} (the
 * diagonal cell). {@code accuracy} is {@code correct / support}; it equals {@code recall} by
 * definition and is kept under both names because "per-class accuracy" is what image
 * classification papers report while precision/recall is what everyone else expects.
 * {@code precision} is {@code correct} divided by how often {@code index} was predicted at all.
 * A ratio whose denominator is zero is reported as 0.0 rather than NaN, because NaN is not valid
 * JSON and a class that never occurs, or is never predicted, has earned no credit.
 */
public record ClassAccuracy(int index, long support, long correct, double accuracy, double precision,
        double recall) {

    public ClassAccuracy {
        if (index < 0) {
            throw new IllegalArgumentException("expected a class index >= 0, found " + index);
        }
        if (support < 0 || correct < 0 || correct > support) {
            throw new IllegalArgumentException(
                    "expected 0 <= correct <= support, found correct=" + correct + ", support=" + support);
        }
    }
}
