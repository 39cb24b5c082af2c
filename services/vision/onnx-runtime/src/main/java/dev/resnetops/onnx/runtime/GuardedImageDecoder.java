package dev.resnetops.onnx.runtime;

import dev.resnetops.vision.data.DecodedImage;
import dev.resnetops.vision.data.ImageCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes untrusted JPEG/PNG bytes for inference: checks the format and the declared pixel count
 * from the header first, then decodes with the training pipeline's {@link ImageCodec} (which turns
 * decoder warnings such as a truncated JPEG into errors). Every refusal is an
 * {@link ImageRejectedException} whose message names the problem.
 */
final class GuardedImageDecoder {

    private static final Set<String> FORMATS = Set.of("jpeg", "png");

    private final long maxPixels;

    GuardedImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    DecodedImage decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ImageRejectedException("empty file");
        }
        checkHeader(bytes);
        try {
            return ImageCodec.decode(bytes);
        } catch (IOException e) {
            throw new ImageRejectedException("corrupt or truncated image: " + e.getMessage());
        }
    }

    /** Raw pixels skip decoding but not the size limit. */
    DecodedImage check(DecodedImage image) {
        checkPixels(image.width(), image.height());
        return image;
    }

    private void checkHeader(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageRejectedException("unsupported format: not a JPEG or PNG (file starts with "
                        + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(8, bytes.length)) + ")");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!FORMATS.contains(format)) {
                    throw new ImageRejectedException("unsupported format " + format + ": expected JPEG or PNG");
                }
                reader.setInput(in, true, true);
                checkPixels(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageRejectedException rejected) {
                throw rejected;
            }
            throw new ImageRejectedException("corrupt image header: " + e.getMessage());
        }
    }

    private void checkPixels(int width, int height) {
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new ImageRejectedException("image is " + width + "x" + height + " = " + pixels
                    + " pixels, over the limit of " + maxPixels + " (decompression-bomb guard)");
        }
    }
}
