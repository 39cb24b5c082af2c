package dev.resnetops.onnx.runtime;

import dev.resnetops.vision.data.DecodedImage;
import dev.resnetops.vision.data.ImageCodec;
import dev.resnetops.vision.data.ImageLimits;
import dev.resnetops.vision.data.ImageRefusedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes untrusted JPEG/PNG bytes for inference: checks the size, the format and the declared pixel
 * count against the platform's {@link ImageLimits} (the same ones ingestion and the dataset readers
 * apply) from the header first, then decodes with the training pipeline's {@link ImageCodec} (which turns
 * decoder warnings such as a truncated JPEG into errors). Every refusal is an
 * {@link ImageRejectedException} whose message names the problem.
 */
final class GuardedImageDecoder {

    private final ImageLimits limits;

    /**
     * @param maxPixels this entry point's pixel limit: at most the platform's {@link ImageLimits#maxPixels()},
     *     which it may lower but not raise
     */
    GuardedImageDecoder(long maxPixels) {
        this(ImageLimits.DEFAULT.atMostPixels(maxPixels));
    }

    GuardedImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    DecodedImage decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ImageRejectedException("empty file");
        }
        refuseOver(() -> limits.checkBytes(bytes.length));
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
                refuseOver(() -> limits.checkFormat(format));
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
        refuseOver(() -> limits.checkPixels(width, height));
    }

    private static void refuseOver(Runnable check) {
        try {
            check.run();
        } catch (ImageRefusedException e) {
            throw new ImageRejectedException(e.getMessage());
        }
    }
}
