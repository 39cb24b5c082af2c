package dev.resnetops.cli.platform;

import dev.resnetops.cli.stream.StreamImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One test image of the demo saved as a file, so its report can end with a {@code ./mlops classify} command
 * that works as printed: Fashion-MNIST comes as IDX archives, which the classify command does not read.
 */
final class DemoSampleImage {

    private DemoSampleImage() {}

    /**
     * Writes the image's bytes to {@code folder/test-<label>.<png|jpg>} (replacing an earlier demo's).
     *
     * @throws IOException when the folder or file cannot be written
     */
    static Path save(StreamImage image, Path folder) throws IOException {
        byte[] bytes = image.bytes();
        String label = image.trueLabel() == null ? "image"
                : image.trueLabel().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        Path file = Files.createDirectories(folder).resolve("test-" + (label.isEmpty() ? "image" : label)
                + (isPng(bytes) ? ".png" : ".jpg"));
        Files.write(file, bytes);
        return file;
    }

    private static boolean isPng(byte[] bytes) {
        return bytes.length > 4 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G';
    }
}
