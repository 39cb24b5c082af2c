package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSplitTest {

    private static final int TEST_IMAGES = 20;

    @TempDir
    static Path tmp;

    private static ShardedDataset dataset;

    /** 10 training and 20 test images of 4x4 whose pixels all equal 100 + their test index. */
    @BeforeAll
    static void importDataset() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("idx"));
        writeIdx(src, "train", 10, 0);
        writeIdx(src, "t10k", TEST_IMAGES, 100);
        DatasetImporter.importDataset(src, tmp.resolve("ds"), ImportOptions.defaults());
        dataset = ShardedDataset.open(tmp.resolve("ds"));
    }

    private static void writeIdx(Path dir, String prefix, int count, int firstPixel) throws IOException {
        try (DataOutputStream images = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")));
                DataOutputStream labels = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            images.writeInt(0x803);
            images.writeInt(count);
            images.writeInt(4);
            images.writeInt(4);
            labels.writeInt(0x801);
            labels.writeInt(count);
            for (int i = 0; i < count; i++) {
                byte[] pixels = new byte[16];
                Arrays.fill(pixels, (byte) (firstPixel + i));
                images.write(pixels);
                labels.write(i % 10);
            }
        }
    }

    private static TestSplit split(int limit, int batchSize) {
        Preprocessing identity = new Preprocessing(4, 1, new float[] {0}, new float[] {1}, TrainAugmentation.padRandomCrop(1),
                EvalResize.centerPad());
        return new TestSplit(dataset, identity, limit, batchSize, 2, 7);
    }

    private static List<Integer> testIndices(TestSplit split) {
        List<Integer> indices = new ArrayList<>();
        try (BatchLoader loader = split.open()) {
            for (Batch batch : loader) {
                for (int i = 0; i < batch.size(); i++) {
                    indices.add(Math.round(batch.data()[i * 16] * 255) - 100);
                }
            }
        }
        return indices;
    }

    @Test
    void readsTheWholeTestSplitInFileOrderWithThePartialLastBatch() {
        TestSplit whole = split(0, 8);

        assertThat(whole.sampleCount()).isEqualTo(TEST_IMAGES);
        assertThat(whole.classCount()).isEqualTo(10);
        assertThat(testIndices(whole)).hasSize(TEST_IMAGES).isSorted().startsWith(0, 1, 2).endsWith(19);
    }

    @Test
    void aLimitIsTheSameSeededSubsetEveryTimeAndNeverMoreThanTheSplit() {
        assertThat(split(6, 4).sampleCount()).isEqualTo(6);
        assertThat(testIndices(split(6, 4))).hasSize(6).isEqualTo(testIndices(split(6, 5)));
        assertThat(split(500, 8).sampleCount()).isEqualTo(TEST_IMAGES);
    }

    @Test
    void aNegativeLimitIsRefusedWithTheValue() {
        assertThatThrownBy(() -> split(-1, 8)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
