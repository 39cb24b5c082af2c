package dev.resnetops.cli;

import dev.resnetops.vision.data.Batch;
import dev.resnetops.vision.data.BatchLoader;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.data.Split;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mlops benchmark-loader}: how fast the training data pipeline (read, decode, augment, batch) delivers
 * when nothing consumes its batches, to compare with what a training step consumes
 * (services/cli/bench/loader-vs-trainer.sh). The first batch is not timed: it pays for the threads' start.
 */
@Command(name = "benchmark-loader", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure the training data pipeline's img/s on its own (training augmentation, shuffled).")
final class LoaderBenchmarkCommand implements Callable<Integer> {

    @Mixin DatasetOptions data;

    @Option(names = "--input-size", defaultValue = "32") int inputSize;

    @Option(names = "--batch-size", defaultValue = "64") int batchSize;

    @Option(names = "--workers", defaultValue = "2",
            description = "Loader threads; training's default is ${DEFAULT-VALUE}.") int workers;

    @Option(names = "--batches", defaultValue = "100", description = "Batches to time (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--no-header", description = "Print only the result row.") boolean noHeader;

    @Override
    public Integer call() {
        if (inputSize < 8 || batchSize < 1 || workers < 1 || batches < 1) {
            throw new IllegalArgumentException("need --input-size >= 8, --batch-size >= 1, --workers >= 1, --batches >= 1");
        }
        ShardedDataset dataset = data.open();
        Preprocessing preprocessing = Preprocessing.forDataset(dataset.manifest(), inputSize);
        int available = dataset.size(Split.TRAIN) / batchSize - 1;
        if (available < batches) {
            throw new IllegalArgumentException("the train split has room for " + available + " timed batches of "
                    + batchSize + ", not --batches " + batches);
        }
        long images = 0;
        long start;
        try (BatchLoader loader = BatchLoader.builder().dataset(dataset).split(Split.TRAIN)
                .preprocessing(preprocessing).augment(true).shuffle(true).seed(0).epoch(1)
                .batchSize(batchSize).dropLast(true).workers(workers).build()) {
            Iterator<Batch> batchesOut = loader.iterator();
            batchesOut.next();
            start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                images += batchesOut.next().size();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!noHeader) {
            System.out.printf("%-16s %5s %5s %7s %10s %10s%n", "dataset", "px", "batch", "workers", "img/s", "s/batch");
        }
        System.out.printf("%-16s %5d %5d %7d %10.1f %10.4f%n", dataset.manifest().name(), inputSize, batchSize,
                workers, images / seconds, seconds / batches);
        return 0;
    }
}
