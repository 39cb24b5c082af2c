package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetImporterTest {

    @TempDir
    Path tmp;

    @Test
    void manifestDescribesTheImportedDataset() throws IOException {
        List<String> progress = new ArrayList<>();
        DatasetManifest m = DatasetImporter.importDataset(Fixtures.path("idx/fashion-mini"), tmp.resolve("ds"),
                ImportOptions.defaults().withName("mini").withProgress(progress::add));

        assertThat(m.formatVersion()).isEqualTo(DatasetManifest.CURRENT_FORMAT_VERSION);
        assertThat(m.name()).isEqualTo("mini");
        assertThat(m.classes()).hasSize(10);
        assertThat(List.of(m.channels(), m.height(), m.width())).containsExactly(1, 8, 8);
        assertThat(m.count(Split.TRAIN)).isEqualTo(12);
        assertThat(m.classCounts(Split.TRAIN)).containsExactly(2, 2, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(m.contentHash()).hasSize(64);
        assertThat(m.createdAt()).isNotBlank();
        // Train pixels of image i are (i*40 + k) % 256 for k = 0..63: recompute the mean independently.
        double sum = 0;
        for (int i = 0; i < 12; i++) {
            for (int k = 0; k < 64; k++) {
                sum += (i * 40 + k) % 256;
            }
        }
        assertThat(m.mean().get(0)).isCloseTo(sum / (12 * 64) / 255, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(DatasetManifest.read(tmp.resolve("ds"))).isEqualTo(m);
        assertThat(Files.readString(tmp.resolve("ds/manifest.json"))).contains("\"sourceFormat\" : \"idx\"");
        assertThat(progress).last().asString().startsWith("imported");
    }

    @Test
    void quarantinedRecordsAreListedInTheManifest() {
        DatasetManifest m = DatasetImporter.importDataset(Fixtures.path("imagefolder/mixed"), tmp.resolve("ds"),
                ImportOptions.defaults());

        assertThat(m.count(Split.TRAIN)).isEqualTo(5);
        assertThat(m.problems()).extracting(p -> Path.of(p.location()).getFileName().toString())
                .containsExactlyInAnyOrder("truncated.png", "not-an-image.png");
        assertThat(DatasetManifest.read(tmp.resolve("ds")).problems()).isEqualTo(m.problems());
    }

    @Test
    void detectsEachSourceFormat() {
        assertThat(DatasetImporter.openSource(Fixtures.path("idx/fashion-mini")).format()).isEqualTo(SourceFormat.IDX);
        assertThat(DatasetImporter.openSource(Fixtures.path("cifar10")).format()).isEqualTo(SourceFormat.CIFAR10);
        assertThat(DatasetImporter.openSource(Fixtures.path("cifar100")).format()).isEqualTo(SourceFormat.CIFAR100);
        assertThat(DatasetImporter.openSource(Fixtures.path("imagefolder/gray")).format())
                .isEqualTo(SourceFormat.IMAGEFOLDER);
        assertThatThrownBy(() -> DatasetImporter.openSource(Fixtures.path("idx")))
                .isInstanceOf(DatasetException.class).hasMessageContaining("unrecognised dataset layout");
    }

    @Test
    void failedImportLeavesNoOutputDirectoryBehind() throws IOException {
        Path source = Fixtures.copy("cifar10", tmp.resolve("src"));
        // A test batch whose size is not a whole number of records: a structural error.
        Files.write(source.resolve("test_batch.bin"), new byte[10]);
        Files.createDirectories(tmp.resolve("out"));

        assertThatThrownBy(() -> DatasetImporter.importDataset(source, tmp.resolve("out/ds"), ImportOptions.defaults()))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("test_batch.bin");
        assertThat(tmp.resolve("out/ds")).doesNotExist();
        try (Stream<Path> left = Files.list(tmp.resolve("out"))) {
            assertThat(left).as("no temporary directory left").isEmpty();
        }
    }

    @Test
    void failureWhileWritingShardsRemovesTheTemporaryDirectory() throws IOException {
        Path source = Fixtures.copy("imagefolder/mixed", tmp.resolve("src"));
        // Only unreadable files in val/: the test split ends up empty, which fails after train was written.
        for (Path f : List.of(source.resolve("val/cat/cat4.png"), source.resolve("val/dog/dog3.png"))) {
            Files.write(f, new byte[] {1, 2, 3});
        }
        Files.createDirectories(tmp.resolve("out"));

        assertThatThrownBy(() -> DatasetImporter.importDataset(source, tmp.resolve("out/ds"), ImportOptions.defaults()))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("test split has no usable images");
        try (Stream<Path> left = Files.list(tmp.resolve("out"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void importIntoAnExistingDatasetIsRefusedAndLeavesItIntact() {
        Path out = tmp.resolve("ds");
        DatasetManifest first = DatasetImporter.importDataset(Fixtures.path("idx/fashion-mini"), out,
                ImportOptions.defaults());

        assertThatThrownBy(() -> DatasetImporter.importDataset(Fixtures.path("idx/truncated"), out,
                ImportOptions.defaults()))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> DatasetImporter.importDataset(Fixtures.path("cifar10"), out, ImportOptions.defaults()))
                .isInstanceOf(DatasetException.class);
        assertThat(ShardedDataset.open(out).manifest()).isEqualTo(first);
    }
}
