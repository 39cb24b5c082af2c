package dev.resnetops.onnx.runtime;

import dev.resnetops.vision.data.DecodedImage;
import java.nio.file.Path;

/** One image to classify, named so that its result (or its error) can be traced back. */
public sealed interface ImageInput {

    /** A file name, path or caller-chosen label. */
    String name();

    /** JPEG or PNG bytes as uploaded. */
    record Encoded(String name, byte[] bytes) implements ImageInput {}

    /** Already-decoded 8-bit pixels (HWC, 1-4 channels), e.g. an IDX or CIFAR record. */
    record Raw(String name, DecodedImage image) implements ImageInput {}

    /** A JPEG or PNG file, read when the batch is classified. */
    record File(Path path) implements ImageInput {
        @Override
        public String name() {
            return path.toString();
        }
    }
}
