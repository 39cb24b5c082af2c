package dev.resnetops.vision.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.resnetops.vision.data.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer step: forward, loss, backward, and the (possibly skipped) update. It computes in the
 * parameters' type: fp32 (with fp16 copies under mixed precision), or float64 for exactness checks.
 */
final class TrainingStep {

    /** What a step reports back. */
    record Outcome(double loss, int correct, boolean applied, PhaseTimes times) {}

    /**
     * Where the step's time went, in nanoseconds. libtorch runs CPU operators synchronously, so the
     * wall clock between phases is the phases' own time.
     */
    record PhaseTimes(long forward, long backward, long update) {}

    private final Block block;
    private final List<Parameter> trainable;
    private final SgdOptimizer optimizer;
    private final DynamicLossScaler scaler;
    private final LabelSmoothingCrossEntropyLoss loss;
    private final boolean mixedPrecision;
    private final NDManager manager;
    private final MemoryFormat memoryFormat;
    private final ParameterStore fp32Store;
    /** The parameters' type (of the fp32 masters under mixed precision), fixed like the optimizer's buffers. */
    private final DataType parameterType;

    TrainingStep(Block block, List<Parameter> trainable, SgdOptimizer optimizer, DynamicLossScaler scaler,
            LabelSmoothingCrossEntropyLoss loss, boolean mixedPrecision, MemoryFormat memoryFormat,
            NDManager manager) {
        this.block = block;
        this.trainable = trainable;
        this.optimizer = optimizer;
        this.scaler = scaler;
        this.loss = loss;
        this.mixedPrecision = mixedPrecision;
        this.manager = manager;
        this.memoryFormat = memoryFormat;
        this.fp32Store = new ParameterStore(manager, false);
        this.parameterType = block.getParameters().valueAt(0).getArray().getDataType();
    }

    Outcome run(Batch batch, double learningRate) {
        // Every array this step creates (inputs, activations, gradient handles, fp16 copies) dies with the scope.
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            long start = System.nanoTime();
            // A batch's images are floats; a float64 network needs them as float64 (a no-op for fp32).
            NDArray input = memoryFormat.images(manager, batch).toType(parameterType, false);
            NDArray labels = manager.create(batch.labels());
            HalfPrecisionParameterStore halfStore = null;
            ParameterStore store = fp32Store;
            if (mixedPrecision) {
                halfStore = new HalfPrecisionParameterStore(manager);
                store = halfStore;
                input = input.toType(DataType.FLOAT16, false);
            }
            NDArray logits;
            NDArray lossValue;
            long forwardEnd;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                logits = block.forward(store, new NDList(input), true).singletonOrThrow();
                // fp16 * a 1-element fp32 tensor promotes to fp32 and, unlike toType, keeps the autograd
                // graph: the loss (log-softmax over the classes) is then computed in fp32.
                NDArray scores = mixedPrecision ? logits.mul(manager.ones(new Shape(1))) : logits;
                lossValue = loss.evaluate(scores, labels);
                forwardEnd = System.nanoTime();
                collector.backward(mixedPrecision ? lossValue.mul((float) scaler.scale()) : lossValue);
            }
            long backwardEnd = System.nanoTime();
            // Read in float64, exact for either type: getFloat() refuses a float64 array.
            double lossScalar = lossValue.toType(DataType.FLOAT64, false).getDouble();
            int correct = (int) logits.argMax(1).toType(DataType.INT32, false)
                    .eq(labels.toType(DataType.INT32, false)).sum().getLong();
            boolean applied = mixedPrecision ? applyMixed(halfStore, learningRate) : applyFp32(learningRate, lossScalar);
            return new Outcome(lossScalar, correct, applied,
                    new PhaseTimes(forwardEnd - start, backwardEnd - forwardEnd, System.nanoTime() - backwardEnd));
        }
    }

    private boolean applyFp32(double learningRate, double lossScalar) {
        if (!Double.isFinite(lossScalar)) {
            throw new TrainingDivergedException("training diverged: the loss is " + lossScalar
                    + " at learning rate " + learningRate + "; lower learningRate or lengthen warmupEpochs");
        }
        List<NDArray> gradients = new ArrayList<>(trainable.size());
        for (Parameter p : trainable) {
            gradients.add(p.getArray().getGradient());
        }
        optimizer.step(learningRate, gradients);
        for (Parameter p : trainable) {
            // PyTorch accumulates gradients across backward passes; clear them for the next step.
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
        return true;
    }

    private boolean applyMixed(HalfPrecisionParameterStore halfStore, double learningRate) {
        float inverseScale = (float) (1.0 / scaler.scale());
        List<NDArray> gradients = new ArrayList<>(trainable.size());
        List<NDArray> magnitudes = new ArrayList<>();
        for (Parameter p : trainable) {
            NDArray half = halfStore.gradient(p);
            NDArray gradient = half == null ? null : half.toType(DataType.FLOAT32, false).mul(inverseScale);
            gradients.add(gradient);
            if (gradient != null) {
                magnitudes.add(gradient.abs().sum());
            }
        }
        // One sum over all gradients is finite iff every element is: inf and NaN propagate.
        boolean finite = Float.isFinite(NDArrays.stack(new NDList(magnitudes)).sum().getFloat());
        boolean apply = scaler.update(finite);
        if (apply) {
            optimizer.step(learningRate, gradients);
            halfStore.copyRunningStatisticsToMasters();
        }
        return apply;
    }

    double lossScale() {
        return mixedPrecision ? scaler.scale() : 1.0;
    }

    DynamicLossScaler.State lossScalerState() {
        return scaler.state();
    }
}
