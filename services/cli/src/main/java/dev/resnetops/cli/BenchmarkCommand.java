package dev.resnetops.cli;

import dev.resnetops.vision.config.Precision;
import dev.resnetops.vision.train.ThroughputProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlops benchmark}: training throughput and peak memory of one configuration, on synthetic
 * batches. Run each configuration in its own process (services/cli/bench/training-benchmark.sh
 * does) so the peak memory is that configuration's alone.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure training img/s and peak resident memory of one model configuration.")
final class BenchmarkCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, defaultValue = "resnet50-paper") String model;

    @Option(names = "--input-size", defaultValue = "224") int inputSize;

    @Option(names = "--batch-size", defaultValue = "32") int batchSize;

    @Option(names = "--channels", defaultValue = "3") int channels;

    @Option(names = "--classes", defaultValue = "1000") int classes;

    @Option(names = "--precision", defaultValue = "auto", converter = EnumConverters.PrecisionConverter.class)
    Precision precision;

    @Option(names = "--warmup-steps", defaultValue = "2") int warmupSteps;

    @Option(names = "--steps", defaultValue = "5", description = "Measured steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--no-header", description = "Print only the result row.") boolean noHeader;

    @Override
    public Integer call() throws IOException {
        if (inputSize < 8 || batchSize < 1 || steps < 1 || warmupSteps < 0 || classes < 2 || channels < 1) {
            throw new IllegalArgumentException("need --input-size >= 8, --batch-size >= 1, --steps >= 1, "
                    + "--warmup-steps >= 0, --classes >= 2, --channels >= 1");
        }
        ThroughputProbe.Result r = ThroughputProbe.measure(model, classes, channels, inputSize, batchSize, precision,
                warmupSteps, steps);
        if (!noHeader) {
            System.out.printf("%-22s %6s %6s %-10s %10s %10s %12s%n", "model", "px", "batch", "precision", "img/s",
                    "s/step", "peak RSS MiB");
        }
        System.out.printf("%-22s %6d %6d %-10s %10.1f %10.2f %12d%n", r.preset(), r.inputSize(), r.batchSize(),
                r.precision(), r.imagesPerSecond(), r.secondsPerStep(), peakResidentMiB());
        return 0;
    }

    /** VmHWM: the process's peak resident set, native (libtorch) memory included. */
    private static long peakResidentMiB() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
