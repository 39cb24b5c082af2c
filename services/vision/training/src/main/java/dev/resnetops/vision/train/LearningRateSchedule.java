package dev.resnetops.vision.train;

/** The learning rate as a function of the optimizer step (0-based), not of the epoch. */
public interface LearningRateSchedule {

    double learningRate(long step);

    /**
     * Linear warm-up shared by the schedules: step {@code s < warmup} gets
     * {@code base * (s + 1) / warmup}, so the first step is never at LR 0 and the last warm-up step
     * reaches the base LR.
     */
    static double warmup(double base, long warmupSteps, long step) {
        return base * (step + 1) / warmupSteps;
    }
}
