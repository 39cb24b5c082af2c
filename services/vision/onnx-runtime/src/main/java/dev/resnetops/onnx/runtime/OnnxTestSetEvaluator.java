package dev.resnetops.onnx.runtime;

import dev.resnetops.vision.data.Batch;
import dev.resnetops.vision.data.BatchLoader;
import dev.resnetops.vision.data.TestSplit;
import dev.resnetops.vision.eval.EvaluationAccumulator;
import dev.resnetops.vision.eval.EvaluationReport;

/**
 * Runs an exported model over the test split on ONNX Runtime and accumulates Top-1/Top-5, loss,
 * per-class accuracy and the confusion matrix: the same metrics, from the same batches, as the DJL
 * {@code TestSetEvaluator} (vision-training) computes for the checkpoint, but of the file that is served.
 *
 * <p>The images come from the same {@link TestSplit} as DJL's evaluation (no augmentation, the
 * preprocessing's {@code EvalResize}, the same seeded subset for a limit), so the two evaluations of one
 * checkpoint see identical input tensors and differ only by the engines' float32 arithmetic.
 */
public final class OnnxTestSetEvaluator {

    private final TestSplit split;

    /** @param split with the checkpoint's preprocessing, which the exporter also wrote into the model's metadata */
    public OnnxTestSetEvaluator(TestSplit split) {
        this.split = split;
    }

    public int sampleCount() {
        return split.sampleCount();
    }

    /**
     * @throws IllegalArgumentException the model's output has another class count than the dataset, or
     *     it produced a NaN or infinite logit (the accumulator names the image's row and class)
     */
    public EvaluationReport evaluate(OnnxSession session) {
        int classes = split.classCount();
        EvaluationAccumulator accumulator = new EvaluationAccumulator(classes);
        try (BatchLoader loader = split.open()) {
            for (Batch batch : loader) {
                float[][] rows = session.logits(batch.data(), batch.size(), batch.channels(), batch.height(),
                        batch.width());
                accumulator.add(flatten(rows, classes), batch.labels(), batch.size());
            }
        }
        return accumulator.report();
    }

    private static float[] flatten(float[][] rows, int classes) {
        float[] flat = new float[rows.length * classes];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != classes) {
                throw new IllegalArgumentException("the model outputs " + rows[i].length + " logits per image but the"
                        + " dataset has " + classes + " classes: not a model of this dataset");
            }
            System.arraycopy(rows[i], 0, flat, i * classes, classes);
        }
        return flat;
    }
}
