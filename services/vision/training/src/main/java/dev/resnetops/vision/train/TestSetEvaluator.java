package dev.resnetops.vision.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.resnetops.vision.data.Batch;
import dev.resnetops.vision.data.BatchLoader;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.data.Split;
import dev.resnetops.vision.eval.EvaluationAccumulator;
import dev.resnetops.vision.eval.EvaluationReport;

/**
 * Runs a model over the test split (no augmentation, BN in inference mode, fp32) and accumulates
 * Top-1/Top-5, loss, per-class accuracy and the confusion matrix.
 */
public final class TestSetEvaluator {

    private final ShardedDataset dataset;
    private final Preprocessing preprocessing;
    private final int limit;
    private final int batchSize;
    private final int workers;
    private final long seed;

    /**
     * @param limit 0 = the whole split, else a fixed seeded subset of that many images
     */
    public TestSetEvaluator(ShardedDataset dataset, Preprocessing preprocessing, int limit, int batchSize,
            int workers, long seed) {
        this.dataset = dataset;
        this.preprocessing = preprocessing;
        this.limit = limit;
        this.batchSize = batchSize;
        this.workers = workers;
        this.seed = seed;
    }

    public int sampleCount() {
        int size = dataset.size(Split.TEST);
        return limit > 0 ? Math.min(limit, size) : size;
    }

    /** Evaluates without autograd: no graph is recorded and no activation outlives its next layer. */
    public EvaluationReport evaluate(Block block, NDManager manager) {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(dataset.manifest().classes().size());
        ParameterStore store = new ParameterStore(manager, false);
        try (AutogradOff autogradOff = new AutogradOff();
                BatchLoader loader = BatchLoader.testSplit(dataset, preprocessing, limit, batchSize, workers, seed)) {
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
