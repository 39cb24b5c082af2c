package dev.resnetops.onnx.export;

import dev.resnetops.vision.data.DatasetResolver;
import dev.resnetops.vision.data.ShardedDataset;
import java.nio.file.Path;

/** The real Fashion-MNIST from the Debian package, packed once per build into target/. */
final class FashionMnist {

    private static ShardedDataset dataset;

    private FashionMnist() {}

    static synchronized ShardedDataset dataset() {
        if (dataset == null) {
            dataset = new DatasetResolver().resolve("fashion-mnist", Path.of("target", "test-datasets"),
                    message -> System.out.println("[fashion-mnist] " + message));
        }
        return dataset;
    }
}
