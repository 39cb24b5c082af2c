package dev.resnetops.vision.train;

import dev.resnetops.vision.data.DatasetImporter;
import dev.resnetops.vision.data.ImportOptions;
import dev.resnetops.vision.data.ShardedDataset;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Small learnable datasets for loop tests: ten stripe and checker textures (shift- and
 * flip-tolerant, so augmentation keeps them learnable) with pixel noise, written as IDX files and
 * imported like any user dataset.
 */
final class SyntheticDatasets {

    private SyntheticDatasets() {}

    static ShardedDataset patterns(Path dir, int imagesPerSplit, int size, long seed) {
        try {
            Path source = Files.createDirectories(dir.resolve("idx"));
            SplittableRandom random = new SplittableRandom(seed);
            writeSplit(source, "train", imagesPerSplit, size, random);
            writeSplit(source, "t10k", imagesPerSplit, size, random);
            Path packed = dir.resolve("packed");
            DatasetImporter.importDataset(source, packed, ImportOptions.defaults());
            return ShardedDataset.open(packed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeSplit(Path dir, String prefix, int count, int size, SplittableRandom random)
            throws IOException {
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * size * size];
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            labels[i] = (byte) label;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int value = texture(label, x, y) ? 200 : 40;
                    value += random.nextInt(-30, 31);
                    pixels[i * size * size + y * size + x] = (byte) Math.max(0, Math.min(255, value));
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")))) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(size);
            out.writeInt(size);
            out.write(pixels);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            out.writeInt(0x00000801);
            out.writeInt(count);
            out.write(labels);
        }
    }

    /** Classes 0-3: horizontal stripes of period 2, 3, 4, 6; 4-7: the same vertical; 8-9: checkers. */
    private static boolean texture(int label, int x, int y) {
        int[] periods = {2, 3, 4, 6};
        if (label < 4) {
            return (y / (periods[label] / 2.0)) % 2 < 1;
        }
        if (label < 8) {
            return (x / (periods[label - 4] / 2.0)) % 2 < 1;
        }
        int cell = label == 8 ? 1 : 2;
        return ((x / cell) + (y / cell)) % 2 == 0;
    }
}
