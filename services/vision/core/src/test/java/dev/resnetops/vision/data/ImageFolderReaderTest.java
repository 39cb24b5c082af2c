package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @TempDir
    Path tmp;

    @Test
    void mixedGrayRgbAndAlphaImagesBecomeThreeChannels() {
        SourceDataset folder = ImageFolderReader.open(Fixtures.path("imagefolder/mixed"));

        assertThat(folder.classes()).containsExactly("cat", "dog");
        assertThat(folder.channels()).isEqualTo(3);
        assertThat(folder.height()).as("sizes differ").isZero();
        Fixtures.CollectingSink train = Fixtures.read(folder, Split.TRAIN);
        assertThat(train.images).extracting(i -> Path.of(i.origin()).getFileName().toString())
                .containsExactly("cat1.png", "cat2.png", "cat3.png", "dog1.png", "dog2.png");
        assertThat(train.images).allSatisfy(i -> assertThat(i.image().channels()).isEqualTo(3));
        DecodedImage grayCat = train.images.get(1).image(); // gray value replicated to R, G and B
        assertThat(grayCat.pixel(1, 0, 0)).isEqualTo(33).isEqualTo(grayCat.pixel(1, 0, 2));
        DecodedImage alphaCat = train.images.get(2).image(); // alpha dropped, colour kept
        assertThat(new int[] {alphaCat.pixel(3, 3, 0), alphaCat.pixel(3, 3, 1), alphaCat.pixel(3, 3, 2)})
                .containsExactly(10, 200, 10);
        assertThat(Fixtures.read(folder, Split.TEST).images).extracting(LabelledImage::label).containsExactly(0, 1);
    }

    @Test
    void corruptAndNonImageFilesAreQuarantinedByName() {
        Fixtures.CollectingSink train = Fixtures.read(ImageFolderReader.open(Fixtures.path("imagefolder/mixed")),
                Split.TRAIN);

        assertThat(train.problems).hasSize(2);
        assertThat(train.problems).anySatisfy(p -> assertThat(p.location()).endsWith("truncated.png"));
        assertThat(train.problems).anySatisfy(p -> {
            assertThat(p.location()).endsWith("not-an-image.png");
            assertThat(p.reason()).contains("not a JPEG or PNG image");
        });
    }

    @Test
    void allGrayImagesGiveAOneChannelDatasetWithUniformSize() {
        SourceDataset folder = ImageFolderReader.open(Fixtures.path("imagefolder/gray"));

        assertThat(folder.channels()).isEqualTo(1);
        assertThat(folder.height()).isEqualTo(12);
        assertThat(folder.width()).isEqualTo(12);
        assertThat(Fixtures.read(folder, Split.TRAIN).images).hasSize(6);
    }

    @Test
    void testClassMissingFromTrainIsAnError() {
        assertThatThrownBy(() -> ImageFolderReader.open(Fixtures.path("imagefolder/unknown-val-class")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("class folder 'b' is not in the train split");
    }

    @Test
    void readsJpegFiles() throws IOException {
        Path root = tmp.resolve("jpeg");
        Files.createDirectories(root.resolve("train/red"));
        DecodedImage red = new DecodedImage(16, 16, 3, solid(16 * 16, 200, 20, 20));
        Files.write(root.resolve("train/red/r.jpg"), ImageCodec.encode(red, "jpeg", 0.95f));

        Fixtures.CollectingSink train = Fixtures.read(ImageFolderReader.open(root), Split.TRAIN);

        assertThat(train.images).singleElement().satisfies(i ->
                assertThat(i.image().pixel(8, 8, 0)).isBetween(190, 210));
    }

    static byte[] solid(int pixels, int r, int g, int b) {
        byte[] out = new byte[pixels * 3];
        for (int i = 0; i < pixels; i++) {
            out[i * 3] = (byte) r;
            out[i * 3 + 1] = (byte) g;
            out[i * 3 + 2] = (byte) b;
        }
        return out;
    }

    @Test
    void aFileThatCannotBeReadAfterTheScanFailsTheReadNamingIt() throws IOException {
        Path root = Fixtures.copy("imagefolder/gray", tmp.resolve("gray"));
        SourceDataset folder = ImageFolderReader.open(root);
        Path vanished = root.resolve("train/square/square1.png");
        Files.delete(vanished);

        assertThatThrownBy(() -> Fixtures.read(folder, Split.TRAIN))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(vanished + ": cannot read the file");
    }
}
