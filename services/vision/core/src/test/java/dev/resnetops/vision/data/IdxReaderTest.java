package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdxReaderTest {

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
        assertThat(train.images).extracting(LabelledImage::label).containsExactly(0, 1, 2, 9, 1, 0);
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
}
