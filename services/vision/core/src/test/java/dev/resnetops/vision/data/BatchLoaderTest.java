package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {

    private static final int SAMPLES = 50;

    @TempDir
    static Path tmp;

    private static ShardedDataset dataset;

    /** 50 images of 8x8 whose pixels all equal their index, so a sample identifies itself. */
    @BeforeAll
    static void importNumberedDataset() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("numbered-idx"));
        try (DataOutputStream images = new DataOutputStream(Files.newOutputStream(src.resolve("train-images-idx3-ubyte")));
             DataOutputStream labels = new DataOutputStream(Files.newOutputStream(src.resolve("train-labels-idx1-ubyte")))) {
            images.writeInt(0x803);
            images.writeInt(SAMPLES);
            images.writeInt(8);
            images.writeInt(8);
            labels.writeInt(0x801);
            labels.writeInt(SAMPLES);
            for (int i = 0; i < SAMPLES; i++) {
                images.write(filled(i));
                labels.write(i % 10);
            }
        }
        DatasetImporter.importDataset(src, tmp.resolve("ds"), ImportOptions.defaults());
        dataset = ShardedDataset.open(tmp.resolve("ds"));
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[64];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    private static Preprocessing identityPreprocessing() {
        return new Preprocessing(8, 1, new float[] {0}, new float[] {1}, TrainAugmentation.padRandomCrop(4),
                EvalResize.centerPad());
    }

    private static BatchLoader.Builder loader() {
        return BatchLoader.builder().dataset(dataset).preprocessing(identityPreprocessing()).batchSize(8)
                .shuffle(true).seed(42).augment(true).prefetch(2);
    }

    private static List<Batch> all(BatchLoader l) {
        List<Batch> out = new ArrayList<>();
        try (l) {
            l.forEach(out::add);
        }
        return out;
    }

    /** The sample index of each sample, read from its (unaugmented) centre pixel. */
    private static List<Integer> sampleIds(List<Batch> batches) {
        List<Integer> ids = new ArrayList<>();
        for (Batch b : batches) {
            for (int i = 0; i < b.size(); i++) {
                ids.add(Math.round(b.data()[i * 64 + 3 * 8 + 3] * 255));
            }
        }
        return ids;
    }

    @Test
    void oneWorkerAndThreeWorkersGiveBitIdenticalBatches() {
        List<Batch> single = all(loader().workers(1).epoch(3).build());
        List<Batch> three = all(loader().workers(3).epoch(3).build());

        assertThat(three).hasSameSizeAs(single);
        for (int i = 0; i < single.size(); i++) {
            assertThat(three.get(i).data()).isEqualTo(single.get(i).data());
            assertThat(three.get(i).labels()).isEqualTo(single.get(i).labels());
        }
    }

    @Test
    void repeatedRunsWithTheSameSeedAndEpochAreIdentical() {
        List<Batch> first = all(loader().workers(2).epoch(1).build());
        List<Batch> second = all(loader().workers(2).epoch(1).build());

        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).data()).isEqualTo(first.get(i).data());
        }
    }

    @Test
    void differentEpochsShuffleDifferently() {
        BatchLoader.Builder eval = loader().augment(false).workers(2);
        List<Integer> epoch0 = sampleIds(all(eval.epoch(0).build()));
        List<Integer> epoch1 = sampleIds(all(eval.epoch(1).build()));

        assertThat(epoch0).isNotEqualTo(epoch1);
        assertThat(new TreeSet<>(epoch0)).isEqualTo(new TreeSet<>(epoch1)).hasSize(SAMPLES);
    }

    @Test
    void labelsMatchTheSamples() {
        List<Batch> batches = all(loader().augment(false).workers(2).build());
        List<Integer> ids = sampleIds(batches);
        List<Integer> labels = new ArrayList<>();
        batches.forEach(b -> java.util.Arrays.stream(b.labels()).forEach(labels::add));

        for (int i = 0; i < ids.size(); i++) {
            assertThat(labels.get(i)).isEqualTo(ids.get(i) % 10);
        }
    }

    @Test
    void limitPicksTheSameSubsetInEveryEpoch() {
        BatchLoader.Builder limited = loader().augment(false).limit(12).workers(1);
        TreeSet<Integer> epoch0 = new TreeSet<>(sampleIds(all(limited.epoch(0).build())));
        TreeSet<Integer> epoch5 = new TreeSet<>(sampleIds(all(limited.epoch(5).build())));

        assertThat(epoch0).hasSize(12).isEqualTo(epoch5);
    }

    @Test
    void dropLastControlsThePartialFinalBatch() {
        BatchLoader keep = loader().build();
        BatchLoader drop = loader().dropLast(true).build();
        assertThat(keep.numBatches()).isEqualTo(7);
        assertThat(drop.numBatches()).isEqualTo(6);

        List<Batch> kept = all(keep);
        List<Batch> dropped = all(drop);

        assertThat(kept).hasSize(7);
        assertThat(kept.get(6).size()).isEqualTo(2);
        assertThat(dropped).hasSize(6).allSatisfy(b -> assertThat(b.size()).isEqualTo(8));
    }

    @Test
    void iteratingAClosedLoaderIsAClearError() {
        BatchLoader closed = loader().build();
        closed.close();

        assertThatThrownBy(() -> closed.iterator().next())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void unshuffledEvaluationKeepsDatasetOrder() {
        Batch first = all(loader().shuffle(false).augment(false).build()).get(0);

        assertThat(first.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(List.of(first.channels(), first.height(), first.width())).containsExactly(1, 8, 8);
    }

    @Test
    void workerFailureSurfacesInTheConsumerWithItsCause(@TempDir Path own) throws IOException {
        DatasetImporter.importDataset(Fixtures.path("imagefolder/gray"), own.resolve("ds"),
                ImportOptions.defaults().withStorage(StorageKind.ENCODED).withEncoding("png"));
        ShardedDataset encoded = ShardedDataset.open(own.resolve("ds"));
        // Damage the first image's PNG signature after the dataset passed its checks.
        try (RandomAccessFile f = new RandomAccessFile(own.resolve("ds/train-00000.shard").toFile(), "rw")) {
            f.seek(ShardHeader.SIZE + 8);
            f.write(new byte[] {'J', 'U', 'N', 'K'});
        }
        Preprocessing p = new Preprocessing(12, 1, new float[] {0}, new float[] {1},
                TrainAugmentation.padRandomCrop(4), EvalResize.centerPad());

        try (BatchLoader l = BatchLoader.builder().dataset(encoded).preprocessing(p).batchSize(2).workers(2).build()) {
            assertThatThrownBy(() -> l.forEach(b -> { }))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageContaining("loading batch 0")
                    .hasCauseInstanceOf(DatasetException.class)
                    .cause().hasMessageContaining("train-00000.shard").hasMessageContaining("record 0");
        }
    }
}
