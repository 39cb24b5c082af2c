package dev.resnetops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.resnetops.cli.stream.LatencyDistribution;
import dev.resnetops.cli.stream.StreamImage;
import dev.resnetops.cli.stream.StreamInput;
import dev.resnetops.onnx.runtime.ClassifierOptions;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import dev.resnetops.onnx.runtime.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlops benchmark-classifier}: ONNX Runtime in this process on an exported model and real
 * encoded images, at several batch sizes. Each image goes through exactly what the inference service
 * does per image (decode, preprocess, infer, softmax, top-k) but with no Kafka, no HTTP and no
 * transactions, so next to {@code mlops stream} it gives the serving pipeline's overhead as a ratio
 * (services/inference/bench/stream-benchmark.sh puts the two side by side).
 */
@Command(name = "benchmark-classifier", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Throughput of an ONNX model in-process on encoded images (decode + preprocess + infer), "
                + "per batch size: the baseline for the inference service's stream.")
final class ClassifierThroughputCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "The .onnx model.")
    Path model;

    @Option(names = "--images", paramLabel = "PATH", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "A dataset folder (its test split, PNG-encoded) or a folder of images; default ${DEFAULT-VALUE}.")
    Path images;

    @Option(names = "--limit", defaultValue = "2000", description = "Images per batch size; default ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32,64", paramLabel = "N,N,...")
    List<Integer> batchSizes;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = one per core).")
    int threads;

    @Option(names = "--spin-wait", negatable = true, defaultValue = "true",
            description = "ONNX Runtime's intra-op threads spin between operators (its default); --no-spin-wait as"
                    + " the inference service runs by default (mlops.inference.spin-wait).")
    boolean spinWait;

    @Option(names = "--json", description = "One JSON document on stdout.")
    boolean json;

    /** One batch size's numbers; latency is per model call (a whole batch). */
    record Row(int batchSize, int images, double seconds, double imagesPerSecond, double callP50Millis,
               double callP99Millis) {}

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || threads < 0 || batchSizes.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("need --limit >= 1, --threads >= 0 and batch sizes >= 1");
        }
        StreamInput input = StreamInput.open(images, limit);
        List<ImageInput> encoded = new ArrayList<>();
        for (StreamImage image : input.images()) {
            encoded.add(new ImageInput.Encoded(image.name(), image.bytes()));
        }
        System.err.println("benchmark-classifier: " + input.description());
        List<Row> rows = new ArrayList<>();
        for (int batchSize : batchSizes) {
            rows.add(measure(encoded, batchSize));
            System.err.printf("benchmark-classifier: batch %d done%n", batchSize);
        }
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            return 0;
        }
        System.out.printf("%s, %d images, ONNX Runtime in-process%n", model, encoded.size());
        System.out.printf("%8s %10s %14s %14s%n", "batch", "img/s", "call p50 ms", "call p99 ms");
        for (Row r : rows) {
            System.out.printf("%8d %10.1f %14.1f %14.1f%n", r.batchSize(), r.imagesPerSecond(), r.callP50Millis(),
                    r.callP99Millis());
        }
        return 0;
    }

    private Row measure(List<ImageInput> images, int batchSize) {
        ClassifierOptions options = ClassifierOptions.defaults().withThreads(threads).withBatchSize(batchSize)
                .withSpinWait(spinWait);
        try (OnnxClassifier classifier = OnnxClassifier.open(model, options)) {
            // Warm-up: ONNX Runtime allocates and plans on the first call of each shape.
            classifier.classify(images.subList(0, Math.min(batchSize, images.size())));
            List<Double> calls = new ArrayList<>();
            long start = System.nanoTime();
            for (int from = 0; from < images.size(); from += batchSize) {
                List<ImageInput> batch = images.subList(from, Math.min(images.size(), from + batchSize));
                long t = System.nanoTime();
                for (ImageResult r : classifier.classify(batch)) {
                    if (r instanceof ImageResult.Rejected rejected) {
                        throw new IllegalStateException(rejected.source() + ": " + rejected.error());
                    }
                }
                calls.add((System.nanoTime() - t) / 1e6);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LatencyDistribution latency = LatencyDistribution.of(calls);
            return new Row(batchSize, images.size(), seconds, images.size() / seconds, latency.percentile(50),
                    latency.percentile(99));
        }
    }
}
