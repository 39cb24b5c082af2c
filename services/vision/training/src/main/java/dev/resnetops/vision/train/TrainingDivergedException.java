package dev.resnetops.vision.train;

/** The fp32 loss became inf or NaN: the run cannot continue with these hyperparameters. */
public final class TrainingDivergedException extends IllegalStateException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
