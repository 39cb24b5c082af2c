package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path tmp;

    @Test
    void readsGzippedTrainAndPlainTestSplitsWithFashionClassNames() {
        SourceDataset idx = IdxReader.open(Fixtures.path("idx/fashion-mini"));

        assertThat(idx.format()).isEqualTo(SourceFormat.IDX);
        assertThat(idx.classes()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
        assertThat(idx.channels()).isEqualTo(1);
        assertThat(idx.height()).isEqualTo(8);
        assertThat(idx.width()).isEqualTo(8);
        Fixtures.CollectingSink train = Fixtures.read(idx, Split.TRAIN);
        Fixtures.CollectingSink test = Fixtures.read(idx, Split.TEST);
        assertThat(train.images).extracting(LabelledImage::label).containsExactly(0, 1, 2, 9, 1, 0, 3, 4, 5, 6, 7, 8);
        assertThat(test.images).extracting(LabelledImage::label).containsExactly(9, 8, 7);
        assertThat(train.problems).isEmpty();
        // make_fixtures.py: image i, pixel (r, c) = (i * 40 + r * 8 + c) % 256
        DecodedImage third = train.images.get(2).image();
        assertThat(third.pixel(5, 3, 0)).isEqualTo((2 * 40 + 3 * 8 + 5) % 256);
    }

    @Test
    void directoryWithoutFashionInItsNameGetsDigitClassNames() {
        SourceDataset idx = IdxReader.open(Fixtures.path("idx/bad-label"));
        assertThat(idx.classes()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Test
    void truncatedIdxFileIsReportedWithFileNameAndByteCounts() {
        assertThatThrownBy(() -> IdxReader.open(Fixtures.path("idx/truncated")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-images-idx3-ubyte")
                .hasMessageContaining("truncated")
                .hasMessageContaining("expected " + (16 + 6 * 64) + " bytes")
                .hasMessageContaining("found " + (16 + 5 * 64 + 32));
    }

    @Test
    void imageAndLabelCountMismatchNamesBothFiles() {
        assertThatThrownBy(() -> IdxReader.open(Fixtures.path("idx/count-mismatch")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-images-idx3-ubyte holds 6 images")
                .hasMessageContaining("train-labels-idx1-ubyte holds 5 labels");
    }

    @Test
    void wrongMagicNumberIsReported() {
        assertThatThrownBy(() -> IdxReader.open(Fixtures.path("idx/bad-magic")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-images-idx3-ubyte")
                .hasMessageContaining("bad IDX magic number 0x00000801");
    }

    @Test
    void labelOutOfRangeIsQuarantinedWithRecordNumber() {
        Fixtures.CollectingSink train = Fixtures.read(IdxReader.open(Fixtures.path("idx/bad-label")), Split.TRAIN);

        assertThat(train.images).extracting(LabelledImage::label).containsExactly(0, 3, 4);
        assertThat(train.problems).singleElement().satisfies(p -> {
            assertThat(p.location()).endsWith("train-images-idx3-ubyte#1");
            assertThat(p.reason()).contains("label 12").contains("out of range 0..9");
        });
    }

    @Test
    void anIdxFileWhoseHeaderClaimsMoreThanTheFileHoldsFailsNamingTheFileBeforeReading() throws IOException {
        // 60,000 MNIST-sized images claimed, 100 bytes present.
        Path file = idxImages(tmp.resolve("train-images-idx3-ubyte"), 60_000, 28, 28, 100, false);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("the header claims 60000 images of 28x28")
                .hasMessageContaining("expected " + (16 + 60_000L * 28 * 28) + " bytes")
                .hasMessageContaining("found 116");
    }

    @Test
    void aGzippedIdxFileWhoseHeaderClaimsMoreThanItCanExpandToFailsNamingTheFile() throws IOException {
        // About 100 MB claimed by a file of a few hundred bytes: no DEFLATE stream expands that far.
        Path file = idxImages(tmp.resolve("train-images-idx3-ubyte.gz"), 100_000, 32, 32, 1000, true);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("the header claims 100000 images of 32x32 = 102400000 data bytes")
                .hasMessageContaining("more than a gzip file of " + Files.size(file) + " bytes can expand to");
    }

    @Test
    void aGzippedIdxFileOverTheAbsoluteLimitFailsNamingTheFileAndTheLimit() throws IOException {
        Path file = idxImages(tmp.resolve("train-images-idx3-ubyte.gz"), 1000, 28, 28, 1000 * 28 * 28, true);

        assertThatThrownBy(() -> IdxReader.readImages(file, 100_000))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("784000 data bytes, over the limit of 100000");
    }

    @Test
    void anIdxFileOfImagesOverThePixelLimitFailsNamingTheFileAndTheLimit() throws IOException {
        Path file = idxImages(tmp.resolve("train-images-idx3-ubyte"), 1, 10_000, 10_000, 0, false);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("image is 10000x10000 = 100000000 pixels, over the limit of 40000000");
    }

    /** An idx3 header claiming {@code count x rows x cols}, followed by {@code dataBytes} zeros. */
    private static Path idxImages(Path file, int count, int rows, int cols, int dataBytes, boolean gzip)
            throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw)) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(new byte[dataBytes]);
        }
        return file;
    }
}
