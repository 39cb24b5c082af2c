package dev.resnetops.cli;

import dev.resnetops.vision.data.DatasetResolver;
import dev.resnetops.vision.data.ShardedDataset;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a dataset comes from and where its packed shards are cached. */
final class DatasetOptions {

    @Option(names = {"-d", "--dataset"}, required = true,
            description = "'fashion-mnist', 'mnist', a packed dataset folder (manifest.json), "
                    + "or a folder of IDX files, an ImageFolder tree (train/ + val/ or test/), or CIFAR binary batches.")
    String dataset;

    @Option(names = "--data-cache", paramLabel = "DIR",
            description = "Where imported datasets are packed into shards (default: $MLOPS_HOME/datasets, "
                    + "else ./.mlops/datasets).")
    Path dataCache;

    ShardedDataset open() {
        return open(dataset, dataCache);
    }

    /** For commands where the dataset is optional and so cannot use this mixin's required option. */
    static ShardedDataset open(String dataset, Path dataCache) {
        return new DatasetResolver().resolve(dataset, cacheRoot(dataCache), message -> System.err.println(message));
    }

    private static Path cacheRoot(Path dataCache) {
        if (dataCache != null) {
            return dataCache;
        }
        String home = System.getenv("MLOPS_HOME");
        return (home != null && !home.isBlank() ? Path.of(home) : Path.of(".mlops")).resolve("datasets");
    }
}
