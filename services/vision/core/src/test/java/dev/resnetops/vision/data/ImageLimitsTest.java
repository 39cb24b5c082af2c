package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.testsupport.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one pixel limit, byte limit and format list, as the dataset readers apply them. */
class ImageLimitsTest {

    @TempDir
    Path tmp;

    @Test
    void aTwentyThousandPixelSquarePngInAnImageFolderIsQuarantinedWithItsReasonAndTheRestIsImported()
            throws IOException {
        Path root = Fixtures.copy("imagefolder/gray", tmp.resolve("gray"));
        Path bomb = TestImages.pixelBombPng(root.resolve("train/circle/huge.png"), 20_000, 20_000);
        assertThat(Files.size(bomb)).as("a few hundred kilobytes").isLessThan(1_000_000);

        DatasetManifest m = DatasetImporter.importDataset(root, tmp.resolve("ds"), ImportOptions.defaults());

        assertThat(m.count(Split.TRAIN)).isEqualTo(6);
        assertThat(m.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).endsWith("train/circle/huge.png");
            assertThat(p.reason()).contains("20000x20000", "over the limit of " + ImageLimits.DEFAULT_MAX_PIXELS);
        });
    }

    @Test
    void aGifWithAPngNameIsQuarantinedNamingItsFormat() throws IOException {
        Path root = Fixtures.copy("imagefolder/gray", tmp.resolve("gray"));
        Files.write(root.resolve("train/square/disguised.png"), gif());

        DatasetManifest m = DatasetImporter.importDataset(root, tmp.resolve("ds"), ImportOptions.defaults());

        assertThat(m.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).endsWith("disguised.png");
            assertThat(p.reason()).contains("unsupported format gif", "JPEG or PNG");
        });
    }

    @Test
    void aFileOverTheByteLimitIsQuarantinedBeforeItIsRead() throws IOException {
        Path root = Fixtures.copy("imagefolder/gray", tmp.resolve("gray"));
        Path big = root.resolve("train/square/padded.png");
        byte[] png = Files.readAllBytes(root.resolve("train/square/square0.png"));
        Files.write(big, java.util.Arrays.copyOf(png, 4096)); // trailing bytes after IEND

        DatasetManifest m = DatasetImporter.importDataset(root, tmp.resolve("ds"),
                ImportOptions.defaults().withImageLimits(ImageLimits.DEFAULT.atMostBytes(2048)));

        assertThat(m.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).endsWith("padded.png");
            assertThat(p.reason()).contains("4096 bytes", "over the image limit of 2048 bytes");
        });
    }

    @Test
    void decodingUntrustedBytesChecksTheHeaderFirst() throws IOException {
        byte[] bomb = Files.readAllBytes(TestImages.pixelBombPng(tmp.resolve("bomb.png"), 20_000, 20_000));

        assertThatThrownBy(() -> ImageCodec.decode(bomb, 1, ImageLimits.DEFAULT))
                .isInstanceOf(ImageRefusedException.class).hasMessageContaining("20000x20000");
        assertThatThrownBy(() -> ImageCodec.decode(gif(), 3, ImageLimits.DEFAULT))
                .isInstanceOf(ImageRefusedException.class).hasMessageContaining("unsupported format gif");
        assertThat(ImageCodec.decode(gif(), 3, ImageLimits.DEFAULT.alsoAllowing("gif")).width()).isEqualTo(3);
    }

    @Test
    void anEntryPointMayLowerThePixelLimitButNotRaiseIt() {
        ImageLimits classify = ImageLimits.DEFAULT.atMostPixels(1_000_000);

        assertThat(classify.maxPixels()).isEqualTo(1_000_000);
        assertThat(classify.maxBytes()).isEqualTo(ImageLimits.DEFAULT_MAX_BYTES);
        assertThatThrownBy(() -> classify.checkPixels(1001, 1000))
                .isInstanceOf(ImageRefusedException.class).hasMessageContaining("over the limit of 1000000");
        assertThatThrownBy(() -> ImageLimits.DEFAULT.atMostPixels(ImageLimits.DEFAULT_MAX_PIXELS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("may only lower it");
    }

    private static byte[] gif() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED), "gif", out);
        return out.toByteArray();
    }
}
