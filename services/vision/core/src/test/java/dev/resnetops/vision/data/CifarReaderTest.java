package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CifarReaderTest {

    @Test
    void readsCifar10BatchesInOrderAndConvertsPlanarPixelsToHwc() {
        SourceDataset cifar = CifarReader.open(Fixtures.path("cifar10"));

        assertThat(cifar.format()).isEqualTo(SourceFormat.CIFAR10);
        assertThat(cifar.classes()).hasSize(10).startsWith("airplane").endsWith("truck");
        Fixtures.CollectingSink train = Fixtures.read(cifar, Split.TRAIN);
        assertThat(train.images).extracting(LabelledImage::label).containsExactly(3, 5, 9, 0, 1, 2, 4, 6, 7, 8);
        assertThat(Fixtures.read(cifar, Split.TEST).images).extracting(LabelledImage::label).containsExactly(1, 2);
        // make_fixtures.py: record i, channel ch, planar position p = (i * 7 + ch * 50 + p) % 256
        DecodedImage second = train.images.get(1).image();
        int x = 5;
        int y = 2;
        for (int ch = 0; ch < 3; ch++) {
            assertThat(second.pixel(x, y, ch)).isEqualTo((7 + ch * 50 + y * 32 + x) % 256);
        }
    }

    @Test
    void labelOutOfRangeIsQuarantinedNamingFileAndRecord() {
        Fixtures.CollectingSink train = Fixtures.read(CifarReader.open(Fixtures.path("cifar10")), Split.TRAIN);

        assertThat(train.problems).singleElement().satisfies(p -> {
            assertThat(p.location()).endsWith("data_batch_2.bin#1");
            assertThat(p.reason()).contains("label 11 is out of range 0..9");
        });
    }

    @Test
    void cifar100UsesFineLabels() {
        SourceDataset cifar = CifarReader.open(Fixtures.path("cifar100"));

        assertThat(cifar.format()).isEqualTo(SourceFormat.CIFAR100);
        assertThat(cifar.classes()).hasSize(100);
        assertThat(Fixtures.read(cifar, Split.TRAIN).images).extracting(LabelledImage::label).containsExactly(42, 99);
        assertThat(Fixtures.read(cifar, Split.TEST).images).extracting(LabelledImage::label).containsExactly(0);
    }

    @Test
    void truncatedBatchFileIsReportedWithFileName() {
        assertThatThrownBy(() -> CifarReader.open(Fixtures.path("cifar10-truncated")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("data_batch_1.bin")
                .hasMessageContaining("not a multiple of the record size 3073");
    }
}
