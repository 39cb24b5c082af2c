package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One rule for every format: a class left without training images fails the import, named with the reason. */
class EmptyClassRuleTest {

    @TempDir
    Path tmp;

    @Test
    void anImageFolderWithAnEmptyClassFolderFailsNamingTheClass() throws IOException {
        Path root = Fixtures.copy("imagefolder/gray", tmp.resolve("gray"));
        Files.createDirectories(root.resolve("train/triangle"));

        assertThatThrownBy(() -> DatasetImporter.importDataset(root, tmp.resolve("ds"), ImportOptions.defaults()))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("class 'triangle' (its train folder holds no images) has no training images")
                .hasMessageContaining("add training images for it or remove it");
    }

    @Test
    void anImageFolderClassWhoseOnlyImageIsQuarantinedFailsNamingTheClassAndWhy() throws IOException {
        Path root = Fixtures.copy("imagefolder/gray", tmp.resolve("gray"));
        Files.createDirectories(root.resolve("train/triangle"));
        Files.writeString(root.resolve("train/triangle/broken.png"), "not a png");

        assertThatThrownBy(() -> DatasetImporter.importDataset(root, tmp.resolve("ds"), ImportOptions.defaults()))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("class 'triangle' (its only training image was quarantined; first: ")
                .hasMessageContaining("train/triangle/broken.png: unreadable image header");
    }

    @Test
    void anIdxDatasetWhoseOnlySampleOfAClassHasAnOutOfRangeLabelFailsNamingTheClass() throws IOException {
        // Labels 0-8 once each, and the record meant for class 9 carries 12: out of range, quarantined.
        byte[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12};
        Path root = idx(tmp.resolve("digits"), labels);

        assertThatThrownBy(() -> DatasetImporter.importDataset(root, tmp.resolve("ds"), ImportOptions.defaults()))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("class '9' (no training record carries its label) has no training images")
                .hasMessageContaining("1 training record was quarantined for a bad label (first: ")
                .hasMessageContaining("train-images-idx3-ubyte#9: label 12");
    }

    @Test
    void aCifarDatasetWithAClassWithoutTrainingRecordsFailsNamingIt() throws IOException {
        Path root = Fixtures.copy("cifar10", tmp.resolve("cifar"));
        // Keep only batch 1 (labels 3 and 5): eight classes are left without a training record.
        Files.delete(root.resolve("data_batch_2.bin"));

        assertThatThrownBy(() -> DatasetImporter.importDataset(root, tmp.resolve("ds"), ImportOptions.defaults()))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("8 classes have no training images: 'airplane' (no training record carries"
                        + " its label), 'automobile'")
                .hasMessageNotContaining("'cat'");
    }

    private static Path idx(Path dir, byte[] labels) throws IOException {
        Files.createDirectories(dir);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")))) {
            out.writeInt(0x00000803);
            out.writeInt(labels.length);
            out.writeInt(4);
            out.writeInt(4);
            byte[] pixels = new byte[labels.length * 16];
            Arrays.fill(pixels, (byte) 100);
            out.write(pixels);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte")))) {
            out.writeInt(0x00000801);
            out.writeInt(labels.length);
            out.write(labels);
        }
        return dir;
    }
}
