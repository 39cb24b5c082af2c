package dev.resnetops.vision.train;

/**
 * One epoch's numbers, as kept in checkpoints and reported to listeners.
 *
 * @param epoch 1-based
 * @param trainLoss mean training loss (with label smoothing, as optimised)
 * @param learningRate the LR of the epoch's last step
 * @param testLoss plain cross-entropy on the test split
 * @param skippedSteps fp16 steps skipped on gradient overflow
 */
public record EpochMetrics(
        int epoch,
        long globalStep,
        double trainLoss,
        double trainTop1,
        double learningRate,
        double testLoss,
        double testTop1,
        double testTop5,
        double imagesPerSecond,
        double epochSeconds,
        int skippedSteps,
        double lossScale) {}
