package dev.resnetops.cli;

import dev.resnetops.vision.config.Precision;
import dev.resnetops.vision.train.MemoryFormat;
import dev.resnetops.vision.train.ThroughputProbe;
import dev.resnetops.vision.train.TrainingThreads;
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

    @Option(names = "--memory-format", defaultValue = "channels_last",
            converter = EnumConverters.MemoryFormatConverter.class,
            description = "channels_last (what training uses) or contiguous (default: ${DEFAULT-VALUE}).")
    MemoryFormat memoryFormat;

    @Option(names = "--warmup-steps", defaultValue = "2") int warmupSteps;

    @Option(names = "--steps", defaultValue = "5", description = "Measured steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--threads", defaultValue = "0",
            description = "libtorch intra-op threads; 0 = OMP_NUM_THREADS when set, else one per core.")
    int threads;

    @Option(names = "--evaluation", description = "Measure validation passes (autograd off) instead of training steps.")
    boolean evaluation;

    @Option(names = "--no-header", description = "Print only the result row.") boolean noHeader;

    @Override
    public Integer call() throws IOException {
        if (inputSize < 8 || batchSize < 1 || steps < 1 || warmupSteps < 0 || classes < 2 || channels < 1) {
            throw new IllegalArgumentException("need --input-size >= 8, --batch-size >= 1, --steps >= 1, "
                    + "--warmup-steps >= 0, --classes >= 2, --channels >= 1");
        }
        if (threads > 0) {
            TrainingThreads.setIntraOp(threads);
        }
        if (evaluation) {
            double imagesPerSecond = ThroughputProbe.evaluationImagesPerSecond(model, classes, channels, inputSize,
                    batchSize, warmupSteps, steps);
            if (!noHeader) {
                System.out.printf("%-22s %5s %5s %-10s %7s %8s %12s%n", "model (evaluation)", "px", "batch", "precision",
                        "threads", "img/s", "peak RSS MiB");
            }
            System.out.printf("%-22s %5d %5d %-10s %7d %8.2f %12d%n", model, inputSize, batchSize, "fp32",
                    TrainingThreads.intraOp(), imagesPerSecond, peakResidentMiB());
            return 0;
        }
        ThroughputProbe.Result r = ThroughputProbe.measure(model, classes, channels, inputSize, batchSize, precision,
                memoryFormat, warmupSteps, steps);
        if (!noHeader) {
            System.out.printf("%-22s %5s %5s %-10s %-13s %7s %8s %8s %9s %10s %8s %12s%n", "model", "px", "batch",
                    "precision", "layout", "threads", "img/s", "s/step", "forward s", "backward s", "update s",
                    "peak RSS MiB");
        }
        ThroughputProbe.Phases phases = r.phases();
        System.out.printf("%-22s %5d %5d %-10s %-13s %7d %8.2f %8.3f %9.3f %10.3f %8.3f %12d%n", r.preset(),
                r.inputSize(), r.batchSize(), r.precision(), r.memoryFormat().name().toLowerCase(),
                TrainingThreads.intraOp(), r.imagesPerSecond(), r.secondsPerStep(), phases.forward(),
                phases.backward(), phases.update(), peakResidentMiB());
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
