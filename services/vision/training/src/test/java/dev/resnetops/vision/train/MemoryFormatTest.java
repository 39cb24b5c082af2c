package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.resnetops.vision.data.Batch;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MemoryFormatTest {

    private static final Batch BATCH = batch(3, 3, 8, 8);

    @Test
    void channelsLastHoldsTheSameImagesInTheSameShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var planar = MemoryFormat.CONTIGUOUS.images(manager, BATCH);
            var channelsLast = MemoryFormat.CHANNELS_LAST.images(manager, BATCH);
            assertThat(channelsLast.getShape()).isEqualTo(new Shape(3, 3, 8, 8));
            assertThat(channelsLast.toFloatArray()).containsExactly(BATCH.data());
            assertThat(planar.toFloatArray()).containsExactly(BATCH.data());
        }
    }

    @Test
    void networkGivesTheSameLogitsInBothLayouts() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.of(ModelZoo.preset("resnet18-small"), 10);
            net.initialize(manager, new Shape(1, 3, 8, 8));
            ParameterStore store = new ParameterStore(manager, false);
            float[] planar = net.block().forward(store,
                    new NDList(MemoryFormat.CONTIGUOUS.images(manager, BATCH)), false).singletonOrThrow().toFloatArray();
            float[] channelsLast = net.block().forward(store,
                    new NDList(MemoryFormat.CHANNELS_LAST.images(manager, BATCH)), false).singletonOrThrow().toFloatArray();
            // Different convolution kernels sum in a different order: equal up to float rounding.
            assertThat(channelsLast).containsExactly(planar, within(1e-4f));
        }
    }

    @Test
    void channelsLastWeightsKeepTheirValuesAndTrainInPlace() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.of(ModelZoo.preset("resnet18-small"), 10);
            net.initialize(manager, new Shape(1, 3, 8, 8));
            List<Parameter> trainable = net.block().getParameters().values().stream()
                    .filter(Parameter::requiresGradient).toList();
            Map<String, float[]> before = new HashMap<>();
            trainable.forEach(p -> before.put(p.getId(), p.getArray().toFloatArray()));
            MemoryFormat.CHANNELS_LAST.applyToWeights(net.block());
            for (Parameter p : trainable) {
                assertThat(p.getArray().toFloatArray()).as(p.getName()).isEqualTo(before.get(p.getId()));
                assertThat(p.getArray().hasGradient()).as(p.getName() + " still trainable").isTrue();
            }
            TrainingStep step = new TrainingStep(net.block(), trainable,
                    new SgdOptimizer(trainable, 0.9, true, 5e-4, manager), new DynamicLossScaler(1024, 2000),
                    new LabelSmoothingCrossEntropyLoss(0.1f), false, MemoryFormat.CHANNELS_LAST, manager);
            for (int i = 0; i < 2; i++) {
                assertThat(step.run(BATCH, 0.1).loss()).isFinite();
            }
            Parameter firstConv = trainable.get(0);
            assertThat(firstConv.getArray().toFloatArray()).as("updated in place")
                    .isNotEqualTo(before.get(firstConv.getId()));
        }
    }

    private static Batch batch(int n, int channels, int height, int width) {
        SplittableRandom random = new SplittableRandom(7);
        float[] data = new float[n * channels * height * width];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return new Batch(data, new int[n], n, channels, height, width);
    }
}
