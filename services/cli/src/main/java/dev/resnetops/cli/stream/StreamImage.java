package dev.resnetops.cli.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One image to send: a name to report it by, its true class when known, and its encoded bytes. */
public sealed interface StreamImage {

    /** How the image is named in reports: a path relative to the folder, or split#index. */
    String name();

    /** The true class name, or null when unknown. */
    String trueLabel();

    /** The JPEG or PNG bytes, exactly as they go on the topic. */
    byte[] bytes();

    /** A file, read only when it is sent, so a large folder is never held in memory. */
    record File(String name, String trueLabel, Path path) implements StreamImage {
        @Override
        public byte[] bytes() {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
            }
        }
    }

    /** An image already encoded in memory (a dataset record encoded as PNG). */
    record Encoded(String name, String trueLabel, byte[] bytes) implements StreamImage {}
}
