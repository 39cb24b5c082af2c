package dev.resnetops.vision.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.resnetops.vision.data.Batch;
import dev.resnetops.vision.data.BatchLoader;
import dev.resnetops.vision.data.TestSplit;
import dev.resnetops.vision.eval.EvaluationAccumulator;
import dev.resnetops.vision.eval.EvaluationReport;

/**
 * Runs a model over the test split (no augmentation, BN in inference mode, fp32) and accumulates
 * Top-1/Top-5, loss, per-class accuracy and the confusion matrix.
 */
public final class TestSetEvaluator {

    private final TestSplit split;

    public TestSetEvaluator(TestSplit split) {
        this.split = split;
    }

    public int sampleCount() {
        return split.sampleCount();
    }

    /** Evaluates without autograd: no graph is recorded and no activation outlives its next layer. */
    public EvaluationReport evaluate(Block block, NDManager manager) {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(split.classCount());
        ParameterStore store = new ParameterStore(manager, false);
        try (AutogradOff autogradOff = new AutogradOff();
                BatchLoader loader = split.open()) {
            for (Batch batch : loader) {
                accumulator.add(logits(block, store, manager, batch), batch.labels(), batch.size());
            }
        }
        return accumulator.report();
    }

    /** One batch's logits, BN in inference mode; call with autograd off. Every array it makes is freed. */
    static float[] logits(Block block, ParameterStore store, NDManager manager, Batch batch) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray input = MemoryFormat.CHANNELS_LAST.images(manager, batch);
            return block.forward(store, new NDList(input), false).singletonOrThrow().toFloatArray();
        }
    }
}
