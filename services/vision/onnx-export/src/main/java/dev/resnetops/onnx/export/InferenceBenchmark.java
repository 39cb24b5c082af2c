package dev.resnetops.onnx.export;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.resnetops.onnx.runtime.ModelMetadata;
import dev.resnetops.onnx.runtime.OnnxSession;
import dev.resnetops.vision.data.EvalResize;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.TrainAugmentation;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * DJL against ONNX Runtime on the same network and the same inputs, in one process: batch-1
 * latency percentiles, large-batch throughput, and the export time. Weights are the zoo's
 * initialisation: inference cost does not depend on their values.
 */
public final class InferenceBenchmark {

    /** One engine's numbers. */
    public record EngineResult(String engine, double p50Millis, double p99Millis, double imagesPerSecond) {}

    /** The whole comparison. */
    public record Result(String preset, int inputSize, int batchSize, double exportSeconds, long modelBytes,
            EngineResult djl, EngineResult onnxRuntime) {}

    private InferenceBenchmark() {}

    public static Result run(String presetName, int inputSize, int latencyIterations, int batchSize,
            int throughputIterations, int threads) {
        int classes = 1000;
        int channels = 3;
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.of(ModelZoo.preset(presetName), classes);
            net.initialize(manager, new Shape(1, channels, inputSize, inputSize));
            Block block = net.block();

            Path file = Files.createTempFile("benchmark-" + presetName, ".onnx");
            long exportStart = System.nanoTime();
            OnnxExporter.write(OnnxExporter.export(block, metadata(presetName, classes, channels, inputSize)), file);
            double exportSeconds = (System.nanoTime() - exportStart) / 1e9;
            long bytes = Files.size(file);

            float[] one = randomInput(1, channels, inputSize);
            float[] many = randomInput(batchSize, channels, inputSize);
            EngineResult djl = measure("DJL (PyTorch)", latencyIterations, throughputIterations, batchSize,
                    () -> DjlLogits.of(block, one, 1, channels, inputSize, inputSize),
                    () -> DjlLogits.of(block, many, batchSize, channels, inputSize, inputSize));
            EngineResult ort;
            try (OnnxSession session = new OnnxSession(file, threads, false)) {
                ort = measure("ONNX Runtime", latencyIterations, throughputIterations, batchSize,
                        () -> session.logits(one, 1, channels, inputSize, inputSize),
                        () -> session.logits(many, batchSize, channels, inputSize, inputSize));
            } finally {
                Files.deleteIfExists(file);
            }
            return new Result(presetName, inputSize, batchSize, exportSeconds, bytes, djl, ort);
        } catch (IOException e) {
            throw new UncheckedIOException("benchmark could not write its temporary model: " + e.getMessage(), e);
        }
    }

    private static EngineResult measure(String engine, int latencyIterations, int throughputIterations, int batchSize,
            Supplier<float[][]> single, Supplier<float[][]> batch) {
        for (int i = 0; i < 3; i++) {
            single.get(); // warm-up: first calls allocate and (ORT) optimise
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < latencyIterations; i++) {
            long start = System.nanoTime();
            single.get();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        batch.get();
        long start = System.nanoTime();
        for (int i = 0; i < throughputIterations; i++) {
            batch.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new EngineResult(engine, percentile(sorted, 0.50), percentile(sorted, 0.99),
                (double) throughputIterations * batchSize / seconds);
    }

    /** Nearest-rank percentile. */
    private static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static float[] randomInput(int n, int channels, int size) {
        SplittableRandom random = new SplittableRandom(0);
        float[] data = new float[n * channels * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return data;
    }

    private static ModelMetadata metadata(String preset, int classes, int channels, int size) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add("class-" + i);
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        Arrays.fill(mean, 0.5f);
        Arrays.fill(std, 0.25f);
        Preprocessing preprocessing = new Preprocessing(size, channels, mean, std,
                TrainAugmentation.randomResizedCrop(), EvalResize.resizeCenterCrop(size));
        return new ModelMetadata(preset, "benchmark", names, preprocessing, "synthetic", "0".repeat(64));
    }
}
