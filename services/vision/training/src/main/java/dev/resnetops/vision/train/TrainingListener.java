package dev.resnetops.vision.train;

/**
 * Side effects of a training run (progress lines, metric export, tracking) hang on the loop as
 * listeners instead of living inside it. Called on the training thread: keep them quick.
 */
public interface TrainingListener {

    /** Once, after the model is built and any checkpoint restored. */
    default void onStart(RunStart start) {}

    /** After every optimizer step (skipped fp16 steps included). */
    default void onStep(StepProgress progress) {}

    /** After each epoch's evaluation and checkpoint. */
    default void onEpoch(EpochMetrics metrics) {}

    default void onFinish(TrainingResult result) {}
}
