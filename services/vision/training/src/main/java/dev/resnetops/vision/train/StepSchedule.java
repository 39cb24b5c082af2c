package dev.resnetops.vision.train;

import java.util.Arrays;

/**
 * The baseline's schedule: linear warm-up, then the base LR multiplied by {@code gamma} at each
 * milestone (fractions of the total steps; the reference uses x0.1 at 50% and 75%).
 */
public final class StepSchedule implements LearningRateSchedule {

    private final double baseLr;
    private final long warmupSteps;
    private final long[] milestoneSteps;
    private final double gamma;

    public StepSchedule(double baseLr, long warmupSteps, long totalSteps, double[] milestoneFractions, double gamma) {
        if (totalSteps <= 0 || warmupSteps < 0 || warmupSteps >= totalSteps) {
            throw new IllegalArgumentException("step schedule needs 0 <= warmupSteps < totalSteps, found warmup "
                    + warmupSteps + " of " + totalSteps);
        }
        this.baseLr = baseLr;
        this.warmupSteps = warmupSteps;
        this.gamma = gamma;
        this.milestoneSteps = Arrays.stream(milestoneFractions).mapToLong(f -> Math.round(f * totalSteps)).toArray();
    }

    @Override
    public double learningRate(long step) {
        if (step < warmupSteps) {
            return LearningRateSchedule.warmup(baseLr, warmupSteps, step);
        }
        int passed = 0;
        for (long milestone : milestoneSteps) {
            if (step >= milestone) {
                passed++;
            }
        }
        return baseLr * Math.pow(gamma, passed);
    }
}
