package dev.resnetops.vision.train;

/**
 * One optimizer step.
 *
 * @param step 1-based step within the epoch
 * @param imagesPerSecond over the epoch so far
 * @param etaSeconds estimate for the rest of the run (training and evaluation)
 */
public record StepProgress(
        int epoch,
        int epochs,
        int step,
        int stepsPerEpoch,
        long globalStep,
        double loss,
        double learningRate,
        double imagesPerSecond,
        double etaSeconds,
        boolean skipped) {}
