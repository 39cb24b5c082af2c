package dev.resnetops.systemtests;

import dev.resnetops.vision.data.DatasetResolver;
import dev.resnetops.vision.data.ImageCodec;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real Fashion-MNIST from the Debian package (imported once per build into target/), and its test images as PNG files. */
final class FashionMnistImages {

    /** One test-split image as a client would send it. */
    record TestImage(int index, int label, byte[] png) {}

    private FashionMnistImages() {
    }

    static ShardedDataset dataset() {
        return new DatasetResolver().resolve("fashion-mnist", Path.of("target", "test-datasets"),
                message -> System.out.println("[fashion-mnist] " + message));
    }

    /** The first {@code count} test images, PNG-encoded. */
    static List<TestImage> testImages(ShardedDataset data, int count) {
        List<TestImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(new TestImage(i, data.label(Split.TEST, i), ImageCodec.encode(data.image(Split.TEST, i), "png", 0)));
        }
        return images;
    }
}
