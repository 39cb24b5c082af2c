package dev.resnetops.vision.train;

/** Estimates the time left from the measured step rate and evaluation time. */
final class EtaEstimator {

    private final int epochs;
    private final int stepsPerEpoch;
    private final int testSamples;
    private double secondsPerStep = Double.NaN;
    private double evaluationSeconds = Double.NaN;
    private double trainImagesPerSecond = Double.NaN;

    EtaEstimator(int epochs, int stepsPerEpoch, int testSamples) {
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.testSamples = testSamples;
    }

    void recordSteps(double secondsPerStep, double imagesPerSecond) {
        this.secondsPerStep = secondsPerStep;
        this.trainImagesPerSecond = imagesPerSecond;
    }

    void recordEvaluation(double seconds) {
        this.evaluationSeconds = seconds;
    }

    /** Seconds left after {@code step} (1-based) of {@code epoch}, evaluations included. */
    double secondsLeft(int epoch, int step) {
        if (Double.isNaN(secondsPerStep)) {
            return Double.NaN;
        }
        long stepsLeft = (long) (epochs - epoch) * stepsPerEpoch + (stepsPerEpoch - step);
        int evaluationsLeft = epochs - epoch + 1;
        // Before the first evaluation, assume a forward pass costs about a third of a training step.
        double perEvaluation = !Double.isNaN(evaluationSeconds) ? evaluationSeconds
                : testSamples / Math.max(1e-9, 3 * trainImagesPerSecond);
        return stepsLeft * secondsPerStep + evaluationsLeft * perEvaluation;
    }
}
