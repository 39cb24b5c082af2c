package dev.resnetops.vision.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.resnetops.vision.config.Precision;
import dev.resnetops.vision.data.Batch;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures training throughput of the real training step (forward, loss, backward, SGD update) on
 * synthetic batches, so the number is about compute, not data loading. Used by the benchmarks.
 */
public final class ThroughputProbe {

    /** Images per second over the measured steps, after the warm-up steps. */
    public record Result(String preset, int inputSize, int batchSize, String precision, MemoryFormat memoryFormat,
            double imagesPerSecond, double secondsPerStep, Phases phases) {}

    /** Mean seconds per measured step spent in each phase of it. */
    public record Phases(double forward, double backward, double update) {}

    private ThroughputProbe() {}

    public static Result measure(String presetName, int classes, int channels, int inputSize, int batchSize,
            Precision precision, MemoryFormat memoryFormat, int warmupSteps, int measuredSteps) {
        Device device = TrainingRun.defaultDevice();
        PrecisionPolicy.Decision decision = PrecisionPolicy.resolve(precision, device);
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            ResNet net = ResNet.of(ModelZoo.preset(presetName), classes);
            net.initialize(manager, new Shape(1, channels, inputSize, inputSize));
            memoryFormat.applyToWeights(net.block());
            List<Parameter> trainable = net.block().getParameters().values().stream()
                    .filter(Parameter::requiresGradient).toList();
            TrainingStep step = new TrainingStep(net.block(), trainable,
                    new SgdOptimizer(trainable, 0.9, true, 5e-4, manager),
                    new DynamicLossScaler(DynamicLossScaler.DEFAULT_INITIAL_SCALE, 2000),
                    new LabelSmoothingCrossEntropyLoss(0.1f), decision.mixed(), memoryFormat, manager);
            Batch batch = syntheticBatch(classes, channels, inputSize, batchSize);
            for (int i = 0; i < warmupSteps; i++) {
                step.run(batch, 0.01);
            }
            long forward = 0;
            long backward = 0;
            long update = 0;
            long start = System.nanoTime();
            for (int i = 0; i < measuredSteps; i++) {
                TrainingStep.PhaseTimes times = step.run(batch, 0.01).times();
                forward += times.forward();
                backward += times.backward();
                update += times.update();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double perStep = 1e9 * measuredSteps;
            return new Result(presetName, inputSize, batchSize, decision.key(), memoryFormat,
                    (double) measuredSteps * batchSize / seconds, seconds / measuredSteps,
                    new Phases(forward / perStep, backward / perStep, update / perStep));
        }
    }

    /**
     * Evaluation passes (what {@link TestSetEvaluator} runs per batch: autograd off, BN in inference mode)
     * over the same synthetic batch; in a process of its own, its peak memory is validation's alone.
     */
    public static double evaluationImagesPerSecond(String presetName, int classes, int channels, int inputSize,
            int batchSize, int warmupBatches, int measuredBatches) {
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager(TrainingRun.defaultDevice());
                AutogradOff autogradOff = new AutogradOff()) {
            ResNet net = ResNet.of(ModelZoo.preset(presetName), classes);
            net.initialize(manager, new Shape(1, channels, inputSize, inputSize));
            MemoryFormat.CHANNELS_LAST.applyToWeights(net.block());
            ParameterStore store = new ParameterStore(manager, false);
            Batch batch = syntheticBatch(classes, channels, inputSize, batchSize);
            for (int i = 0; i < warmupBatches; i++) {
                TestSetEvaluator.logits(net.block(), store, manager, batch);
            }
            long start = System.nanoTime();
            for (int i = 0; i < measuredBatches; i++) {
                TestSetEvaluator.logits(net.block(), store, manager, batch);
            }
            return (double) measuredBatches * batchSize / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static Batch syntheticBatch(int classes, int channels, int size, int batchSize) {
        SplittableRandom random = new SplittableRandom(0);
        float[] data = new float[batchSize * channels * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new Batch(data, labels, batchSize, channels, size, size);
    }
}
