package dev.resnetops.vision.train;

/**
 * Linear warm-up, then cosine annealing from the base LR to {@code finalLr} at the last step
 * (SGDR without restarts, Loshchilov and Hutter 2017), as in the paper's recipe.
 *
 * <p>DJL's {@code CosineTracker} defaults its final value to 0.01 and {@code WarmUpTracker} shifts
 * the main schedule by the warm-up length; this class states both explicitly: the cosine runs
 * over {@code [warmupSteps, totalSteps]} and reaches exactly {@code finalLr} at {@code totalSteps}.
 */
public final class CosineWarmupSchedule implements LearningRateSchedule {

    private final double baseLr;
    private final double finalLr;
    private final long warmupSteps;
    private final long totalSteps;

    public CosineWarmupSchedule(double baseLr, double finalLr, long warmupSteps, long totalSteps) {
        if (totalSteps <= 0 || warmupSteps < 0 || warmupSteps >= totalSteps) {
            throw new IllegalArgumentException("cosine schedule needs 0 <= warmupSteps < totalSteps, found warmup "
                    + warmupSteps + " of " + totalSteps);
        }
        this.baseLr = baseLr;
        this.finalLr = finalLr;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    @Override
    public double learningRate(long step) {
        if (step < warmupSteps) {
            return LearningRateSchedule.warmup(baseLr, warmupSteps, step);
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
        return finalLr + (baseLr - finalLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
