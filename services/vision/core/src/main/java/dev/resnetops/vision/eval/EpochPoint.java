package dev.resnetops.vision.eval;

/**
 * One epoch of a training run, as plotted by {@link TrainingCurvePlot}.
 *
 * @param epoch        epoch number; points of a run must have strictly increasing epochs
 * @param trainLoss    mean training loss over the epoch; NaN or infinite if training diverged,
 *                     which the plot shows as a missing point rather than refusing the run
 * @param learningRate learning rate at the end of the epoch, finite and >= 0
 * @param valTop1      validation Top-1 accuracy as a fraction in [0, 1], or null if the epoch
 *                     was not validated
 * @param valTop5      validation Top-5 accuracy as a fraction in [0, 1], or null
 */
public record EpochPoint(int epoch, double trainLoss, double learningRate, Double valTop1, Double valTop5) {

    public EpochPoint {
        if (epoch < 0) {
            throw new IllegalArgumentException("expected epoch >= 0, found " + epoch);
        }
        if (!(learningRate >= 0.0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("expected a finite learningRate >= 0, found " + learningRate
                    + " at epoch " + epoch);
        }
        requireFractionOrNull("valTop1", valTop1, epoch);
        requireFractionOrNull("valTop5", valTop5, epoch);
    }

    private static void requireFractionOrNull(String name, Double value, int epoch) {
        if (value != null && !(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException("expected " + name + " as a fraction in [0, 1] or null, found "
                    + value + " at epoch " + epoch);
        }
    }
}
