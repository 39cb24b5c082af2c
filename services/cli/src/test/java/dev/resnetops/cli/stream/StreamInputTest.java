package dev.resnetops.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.vision.data.DecodedImage;
import dev.resnetops.vision.data.ImageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamInputTest {

    @TempDir Path dir;

    private static byte[] png() {
        return ImageCodec.encode(new DecodedImage(4, 4, 1, new byte[16]), "png", 1f);
    }

    @Test
    void classFoldersGiveTrueLabelsAndLooseFilesNone() throws IOException {
        Files.createDirectories(dir.resolve("Bag"));
        Files.write(dir.resolve("Bag/1.png"), png());
        Files.write(dir.resolve("Bag/2.JPG"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1});
        Files.write(dir.resolve("loose.png"), png());
        Files.writeString(dir.resolve("notes.txt"), "not an image");

        StreamInput input = StreamInput.open(dir, 0);
        assertThat(input.images()).extracting(StreamImage::name).containsExactly("Bag/1.png", "Bag/2.JPG", "loose.png");
        assertThat(input.images()).extracting(StreamImage::trueLabel).containsExactly("Bag", "Bag", null);
        assertThat(input.images().get(0).bytes()).isEqualTo(png());
        assertThat(input.description()).contains("3 image files", "2 in class folders");
    }

    @Test
    void limitsTheNumberOfImages() throws IOException {
        for (int i = 0; i < 5; i++) {
            Files.write(dir.resolve(i + ".png"), png());
        }
        assertThat(StreamInput.open(dir, 2).images()).hasSize(2);
    }

    @Test
    void aDatasetFolderSendsItsTestSplitAsPngWithLabels() throws IOException {
        // An ImageFolder dataset: train/ and test/ with a class folder each.
        for (String split : new String[] {"train", "test"}) {
            for (String label : new String[] {"cat", "dog"}) {
                Files.createDirectories(dir.resolve(split).resolve(label));
                Files.write(dir.resolve(split).resolve(label).resolve("x.png"), png());
            }
        }
        StreamInput input = StreamInput.open(dir, 0);
        assertThat(input.images()).hasSize(2);
        assertThat(input.images()).extracting(StreamImage::trueLabel).containsExactlyInAnyOrder("cat", "dog");
        assertThat(ImageStreamer.contentType(input.images().get(0).bytes())).isEqualTo("image/png");
        assertThat(input.description()).contains("test split");
    }

    @Test
    void explainsAPathWithNothingToSend() throws IOException {
        assertThatThrownBy(() -> StreamInput.open(dir.resolve("nope"), 0)).hasMessageContaining("no such file");
        Files.writeString(dir.resolve("a.txt"), "x");
        assertThatThrownBy(() -> StreamInput.open(dir, 0)).hasMessageContaining("no .png, .jpg or .jpeg files");
        assertThatThrownBy(() -> StreamInput.open(dir.resolve("a.txt"), 0)).hasMessageContaining("not a .png");
        assertThatThrownBy(() -> StreamInput.open(dir, -1)).hasMessageContaining("--limit");
    }

    @Test
    void sniffsTheContentType() {
        assertThat(ImageStreamer.contentType(png())).isEqualTo("image/png");
        assertThat(ImageStreamer.contentType(new byte[] {(byte) 0xFF, (byte) 0xD8, 0})).isEqualTo("image/jpeg");
        assertThat(ImageStreamer.contentType(new byte[] {1, 2, 3})).isEqualTo("application/octet-stream");
    }
}
