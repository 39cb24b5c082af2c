package dev.resnetops.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.vision.data.DecodedImage;
import dev.resnetops.vision.data.ImageCodec;
import dev.resnetops.vision.data.ImageLimits;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The guard in front of ONNX Runtime: no model needed, so it is tested here without an engine. */
class GuardedImageDecoderTest {

    private final GuardedImageDecoder decoder = new GuardedImageDecoder(1_000_000);

    @Test
    void decodesAPngWithinTheLimit() {
        byte[] png = ImageCodec.encode(new DecodedImage(4, 3, 1, new byte[12]), "png", 0.9f);

        DecodedImage image = decoder.decode(png);

        assertThat(image.width()).isEqualTo(4);
        assertThat(image.height()).isEqualTo(3);
    }

    @Test
    void refusesAPixelBombFromItsHeaderBeforeDecoding() throws IOException {
        // A PNG that claims 20,000 x 20,000 pixels in a few dozen bytes: decoding it would need 400 MB.
        byte[] bomb = pngHeader(20_000, 20_000);

        assertThatThrownBy(() -> decoder.decode(bomb))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("20000x20000")
                .hasMessageContaining("over the limit of 1000000");
    }

    @Test
    void namesWhatIsWrongWithBytesThatAreNoImage() {
        assertThatThrownBy(() -> decoder.decode(new byte[0]))
                .isInstanceOf(ImageRejectedException.class).hasMessage("empty file");
        assertThatThrownBy(() -> decoder.decode("GIF89a and more".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("expected JPEG or PNG");
        assertThatThrownBy(() -> decoder.decode("hello world".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("not a JPEG or PNG");
    }

    @Test
    void refusesATruncatedPng() {
        byte[] png = ImageCodec.encode(new DecodedImage(32, 32, 3, randomPixels(32 * 32 * 3)), "png", 0.9f);
        byte[] truncated = Arrays.copyOf(png, png.length / 2);

        assertThatThrownBy(() -> decoder.decode(truncated))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("corrupt");
    }

    @Test
    void checksTheLimitOnRawPixelsToo() {
        GuardedImageDecoder small = new GuardedImageDecoder(100);

        assertThatThrownBy(() -> small.check(new DecodedImage(20, 20, 1, new byte[400])))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("400 pixels");
    }

    @Test
    void usesThePlatformsOneByteLimitAndRefusesABiggerFileBeforeReadingIt() {
        byte[] oversized = new byte[(int) ImageLimits.DEFAULT_MAX_BYTES + 1];

        assertThatThrownBy(() -> decoder.decode(oversized))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("over the image limit of " + ImageLimits.DEFAULT_MAX_BYTES + " bytes");
    }

    @Test
    void anEntryPointMayLowerThePlatformPixelLimitButNotRaiseIt() {
        assertThatThrownBy(() -> new GuardedImageDecoder(ImageLimits.DEFAULT_MAX_PIXELS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("may only lower it");
        assertThatThrownBy(() -> ClassifierOptions.defaults().withMaxPixels(ImageLimits.DEFAULT_MAX_PIXELS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ImageLimits");
    }

    private static byte[] randomPixels(int n) {
        byte[] pixels = new byte[n];
        new java.util.Random(7).nextBytes(pixels);
        return pixels;
    }

    /** The PNG signature and an IHDR chunk (8-bit greyscale) with a valid CRC, and nothing else. */
    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(chunk);
        data.writeBytes("IHDR");
        data.writeInt(width);
        data.writeInt(height);
        data.write(new byte[] {8, 0, 0, 0, 0});
        byte[] typeAndData = chunk.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(typeAndData);

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(file);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.writeInt(typeAndData.length - 4);
        out.write(typeAndData);
        out.writeInt((int) crc.getValue());
        return file.toByteArray();
    }
}
