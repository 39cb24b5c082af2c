package dev.resnetops.cli;

import dev.resnetops.onnx.export.InferenceBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlops benchmark-inference}: DJL vs ONNX Runtime latency and throughput, and export time. */
@Command(name = "benchmark-inference", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare DJL and ONNX Runtime inference on the same network and inputs in one process.")
final class InferenceBenchmarkCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, defaultValue = "resnet50-paper") String model;

    @Option(names = "--input-size", defaultValue = "224") int inputSize;

    @Option(names = "--latency-iterations", defaultValue = "30", description = "Batch-1 calls timed per engine.")
    int latencyIterations;

    @Option(names = "--batch-size", defaultValue = "32") int batchSize;

    @Option(names = "--throughput-iterations", defaultValue = "3", description = "Large-batch calls timed per engine.")
    int throughputIterations;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = its default).")
    int threads;

    @Override
    public Integer call() {
        if (inputSize < 8 || latencyIterations < 1 || batchSize < 1 || throughputIterations < 1 || threads < 0) {
            throw new IllegalArgumentException("need --input-size >= 8, iterations and --batch-size >= 1, --threads >= 0");
        }
        InferenceBenchmark.Result r = InferenceBenchmark.run(model, inputSize, latencyIterations, batchSize,
                throughputIterations, threads);
        System.out.printf("%s at %d px, 1000 classes; export %.2f s (%.1f MB ONNX file)%n", r.preset(), r.inputSize(),
                r.exportSeconds(), r.modelBytes() / 1e6);
        System.out.printf("%-16s %12s %12s %16s%n", "engine", "b1 p50 ms", "b1 p99 ms", "b" + r.batchSize() + " img/s");
        for (InferenceBenchmark.EngineResult e : new InferenceBenchmark.EngineResult[] {r.djl(), r.onnxRuntime()}) {
            System.out.printf("%-16s %12.1f %12.1f %16.1f%n", e.engine(), e.p50Millis(), e.p99Millis(),
                    e.imagesPerSecond());
        }
        return 0;
    }
}
