package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardRoundTripTest {

    @TempDir
    Path tmp;

    @Test
    void rawImportKeepsEveryPixelAndLabel() {
        Path source = Fixtures.path("idx/fashion-mini");
        DatasetManifest m = DatasetImporter.importDataset(source, tmp.resolve("ds"), ImportOptions.defaults());
        ShardedDataset ds = ShardedDataset.open(tmp.resolve("ds"));

        assertThat(m.storage()).isEqualTo(StorageKind.RAW_UINT8);
        assertThat(m.sourceFormat()).isEqualTo(SourceFormat.IDX);
        assertThat(ds.size(Split.TRAIN)).isEqualTo(12);
        assertThat(ds.size(Split.TEST)).isEqualTo(3);
        SourceDataset original = IdxReader.open(source);
        for (Split split : Split.values()) {
            var expected = Fixtures.read(original, split).images;
            for (int i = 0; i < expected.size(); i++) {
                assertThat(ds.label(split, i)).isEqualTo(expected.get(i).label());
                assertThat(ds.image(split, i).pixels()).isEqualTo(expected.get(i).image().pixels());
            }
        }
    }

    @Test
    void smallShardLimitSplitsRecordsOverSeveralShardsWithoutChangingThem() {
        // 4 + 3072 bytes per CIFAR record: a 7000-byte bound holds two records per shard.
        DatasetManifest m = DatasetImporter.importDataset(Fixtures.path("cifar10"), tmp.resolve("ds"),
                ImportOptions.defaults().withMaxShardBytes(7000));
        ShardedDataset ds = ShardedDataset.open(tmp.resolve("ds"));

        assertThat(m.shards(Split.TRAIN)).extracting(ShardInfo::records).containsExactly(2, 2, 2, 2, 2);
        assertThat(m.shards(Split.TRAIN)).extracting(ShardInfo::file).startsWith("train-00000.shard", "train-00001.shard");
        var expected = Fixtures.read(CifarReader.open(Fixtures.path("cifar10")), Split.TRAIN).images;
        for (int i = 0; i < 4; i++) {
            assertThat(ds.label(Split.TRAIN, i)).isEqualTo(expected.get(i).label());
            assertThat(ds.image(Split.TRAIN, i).pixels()).isEqualTo(expected.get(i).image().pixels());
        }
    }

    @Test
    void losslessEncodedImportKeepsPixelsOfImagesThatNeedNoResize() {
        DatasetManifest m = DatasetImporter.importDataset(Fixtures.path("imagefolder/mixed"), tmp.resolve("ds"),
                ImportOptions.defaults().withEncoding("png").withShortSide(32));
        ShardedDataset ds = ShardedDataset.open(tmp.resolve("ds"));

        assertThat(m.storage()).isEqualTo(StorageKind.ENCODED);
        assertThat(m.height()).isEqualTo(32);
        var expected = Fixtures.read(ImageFolderReader.open(Fixtures.path("imagefolder/mixed")), Split.TRAIN).images;
        assertThat(ds.image(Split.TRAIN, 0).pixels()).isEqualTo(expected.get(0).image().pixels());
        DecodedImage shrunk = ds.image(Split.TRAIN, 3); // dog1.png, 70x50 -> shorter side 32
        assertThat(shrunk.height()).isEqualTo(32);
        assertThat(shrunk.width()).isEqualTo(45);
    }

    @Test
    void tamperedShardByteIsDetectedNamingTheShard() throws IOException {
        DatasetManifest m = DatasetImporter.importDataset(Fixtures.path("idx/fashion-mini"), tmp.resolve("ds"),
                ImportOptions.defaults());
        Path shard = tmp.resolve("ds").resolve(m.shards().get(0).file());
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0x01);
        }

        assertThatThrownBy(() -> ShardedDataset.open(tmp.resolve("ds")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(shard.toString())
                .hasMessageContaining("SHA-256 mismatch");
    }

    @Test
    void missingShardIsReportedByName() throws IOException {
        DatasetManifest m = DatasetImporter.importDataset(Fixtures.path("idx/fashion-mini"), tmp.resolve("ds"),
                ImportOptions.defaults());
        Files.delete(tmp.resolve("ds").resolve("test-00000.shard"));

        assertThatThrownBy(() -> ShardedDataset.open(tmp.resolve("ds")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("test-00000.shard")
                .hasMessageContaining("missing");
        assertThat(m.contentHash()).isEqualTo(DatasetManifest.contentHash(m.classes(), m.shards()));
    }

    @Test
    void theSamePixelsUnderOtherClassNamesAreAnotherVersion() throws IOException {
        DatasetManifest m = DatasetImporter.importDataset(Fixtures.path("idx/fashion-mini"), tmp.resolve("ds"),
                ImportOptions.defaults());
        java.util.List<String> digits = m.classes().stream().map(c -> "digit-" + c).toList();
        assertThat(DatasetManifest.contentHash(digits, m.shards())).isNotEqualTo(m.contentHash());
    }

    @Test
    void fileThatIsNotAShardIsRejectedByMagic() throws IOException {
        Path notShard = Files.write(tmp.resolve("x.shard"), new byte[64]);

        assertThatThrownBy(() -> ShardReader.open(notShard))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("x.shard")
                .hasMessageContaining("not a shard file");
    }
}
