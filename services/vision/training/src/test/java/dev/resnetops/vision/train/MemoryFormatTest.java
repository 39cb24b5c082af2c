package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.resnetops.vision.data.Batch;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
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

    private static Batch batch(int n, int channels, int height, int width) {
        SplittableRandom random = new SplittableRandom(7);
        float[] data = new float[n * channels * height * width];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return new Batch(data, new int[n], n, channels, height, width);
    }
}
