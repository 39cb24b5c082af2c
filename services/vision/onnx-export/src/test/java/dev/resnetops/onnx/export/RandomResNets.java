package dev.resnetops.onnx.export;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.resnetops.onnx.runtime.ModelMetadata;
import dev.resnetops.vision.data.EvalResize;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.TrainAugmentation;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Zoo networks with every parameter random, BN statistics and gammas included: the zero-initialised
 * residual gammas of a fresh network would hide a wrong main path from any parity check.
 */
final class RandomResNets {

    private RandomResNets() {}

    static Block build(String preset, int classes, int channels, int size, long seed, NDManager manager) {
        ResNet net = ResNet.of(ModelZoo.preset(preset), classes);
        net.initialize(manager, new Shape(1, channels, size, size));
        randomise(net.block(), seed);
        return net.block();
    }

    static void randomise(Block block, long seed) {
        Random rng = new Random(seed);
        for (Parameter p : block.getParameters().values()) {
            var array = p.getArray();
            long[] shape = array.getShape().getShape();
            float[] values = new float[(int) array.size()];
            double fanIn = shape.length > 1 ? array.size() / shape[0] : 1;
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) switch (p.getType()) {
                    case WEIGHT -> rng.nextGaussian() * Math.sqrt(2.0 / fanIn);
                    case GAMMA, RUNNING_VAR -> 0.5 + rng.nextDouble();
                    case BETA, RUNNING_MEAN, BIAS -> rng.nextGaussian() * 0.1;
                    default -> rng.nextGaussian();
                };
            }
            array.set(values);
        }
    }

    static ModelMetadata metadata(String preset, int classes, int channels, int size) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add("class-" + i);
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        java.util.Arrays.fill(mean, 0.5f);
        java.util.Arrays.fill(std, 0.25f);
        Preprocessing preprocessing = new Preprocessing(size, channels, mean, std,
                TrainAugmentation.padRandomCrop(4), EvalResize.centerPad());
        return new ModelMetadata(preset, "test-run", names, preprocessing, "synthetic", "0".repeat(64));
    }

    static float[] randomInput(int n, int channels, int size, long seed) {
        Random rng = new Random(seed);
        float[] data = new float[n * channels * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rng.nextGaussian();
        }
        return data;
    }
}
