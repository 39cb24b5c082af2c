package dev.resnetops.vision.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Decodes and encodes JPEG/PNG with plain ImageIO and moves pixels between {@link BufferedImage} and
 * {@link DecodedImage}.
 *
 * <p>Pixels are read from the raster, not with {@code getRGB}: {@code getRGB} passes gray images through
 * a linear-to-sRGB colour conversion and would brighten every grayscale image.
 */
public final class ImageCodec {

    /**
     * What the header of an image file says, read without decoding the pixels.
     *
     * @param format the ImageIO format name, lower case: {@code jpeg}, {@code png}, {@code gif}...
     */
    public record ImageHeader(int width, int height, boolean gray, String format) {
    }

    private ImageCodec() {
    }

    /** Reads the size, colour type and format from the header. Throws IOException when the file is not a readable image. */
    public static ImageHeader readHeader(java.nio.file.Path file) throws IOException {
        // A file-backed stream reads only the bytes the header needs, not the whole image.
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return header(in, ImageLimits.DEFAULT, false);
        }
    }

    /**
     * Checks a file against {@code limits} from its size and header alone, before anything is decoded.
     *
     * @throws ImageRefusedException over a limit or in a format that is not accepted
     * @throws IOException           when the file is not a readable image
     */
    public static ImageHeader inspect(java.nio.file.Path file, ImageLimits limits) throws IOException {
        limits.checkBytes(java.nio.file.Files.size(file));
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return header(in, limits, true);
        }
    }

    /** {@link #inspect(java.nio.file.Path, ImageLimits)} for bytes already in memory. */
    public static ImageHeader inspect(byte[] encoded, ImageLimits limits) throws IOException {
        limits.checkBytes(encoded.length);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            return header(in, limits, true);
        }
    }

    /**
     * Decodes untrusted bytes: checked against {@code limits} from the header first, so a decompression
     * bomb or an unaccepted format is refused without decoding, then decoded and converted to
     * {@code channels} (1 or 3).
     */
    public static DecodedImage decode(byte[] encoded, int channels, ImageLimits limits) throws IOException {
        inspect(encoded, limits);
        DecodedImage image = decode(encoded);
        // The header is what we checked; a decoder that produced more than it declared is refused too.
        limits.checkPixels(image.width(), image.height());
        return ChannelConverter.convert(image, channels);
    }

    private static ImageHeader header(ImageInputStream in, ImageLimits limits, boolean check) throws IOException {
        ImageReader reader = readerFor(in);
        try {
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            if (check) {
                limits.checkFormat(format);
            }
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (check) {
                limits.checkPixels(width, height);
            }
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            if (!types.hasNext()) {
                throw new IOException("unsupported colour type");
            }
            ColorModel cm = types.next().getColorModel();
            boolean gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel);
            return new ImageHeader(width, height, gray, format.equals("jpg") ? "jpeg" : format);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Decodes a JPEG/PNG fully. A decoder warning (e.g. "premature end of JPEG data") is treated as an error:
     * ImageIO would otherwise hand back a half-grey image from a truncated file.
     */
    public static DecodedImage decode(byte[] encoded) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            ImageReader reader = readerFor(in);
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new IOException(String.join("; ", warnings));
                }
                return fromBufferedImage(image);
            } catch (RuntimeException e) {
                // Some ImageIO plug-ins throw unchecked exceptions on malformed data; report them like IO errors.
                throw new IOException(e.toString(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Decodes and converts to {@code channels} (1 or 3). */
    public static DecodedImage decode(byte[] encoded, int channels) throws IOException {
        return ChannelConverter.convert(decode(encoded), channels);
    }

    /** Copies the pixels out of a BufferedImage, keeping its channel count (1-4), scaling any bit depth to 8. */
    public static DecodedImage fromBufferedImage(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        boolean paletteOrOther = cm instanceof IndexColorModel
                || (cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY
                && cm.getColorSpace().getType() != ColorSpace.TYPE_RGB);
        if (paletteOrOther) {
            return fromArgb(image);
        }
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        byte[] out = new byte[w * h * bands];
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int i = 0; i < row.length; i++) {
                int bits = cm.getComponentSize(i % bands);
                out[y * w * bands + i] = (byte) (bits == 8 ? row[i] : Math.round(row[i] * 255.0 / ((1 << bits) - 1)));
            }
        }
        return new DecodedImage(w, h, bands, out);
    }

    private static DecodedImage fromArgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                int i = (y * w + x) * 3;
                out[i] = (byte) (argb >> 16);
                out[i + 1] = (byte) (argb >> 8);
                out[i + 2] = (byte) argb;
            }
        }
        return new DecodedImage(w, h, 3, out);
    }

    /** Builds an 8-bit gray or RGB BufferedImage from a 1- or 3-channel image. */
    public static BufferedImage toBufferedImage(DecodedImage image) {
        int c = image.channels();
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("only 1- or 3-channel images can be encoded, got " + c);
        }
        BufferedImage out = new BufferedImage(image.width(), image.height(),
                c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int[] samples = new int[image.pixels().length];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = image.pixels()[i] & 0xFF;
        }
        out.getRaster().setPixels(0, 0, image.width(), image.height(), samples);
        return out;
    }

    /** Encodes as PNG (lossless) or JPEG at {@code jpegQuality} in (0, 1]. */
    public static byte[] encode(DecodedImage image, String format, float jpegQuality) {
        String fmt = format.toLowerCase(Locale.ROOT);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(fmt);
        if (!writers.hasNext()) {
            throw new IllegalArgumentException("no ImageIO writer for format " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (fmt.equals("jpeg") || fmt.equals("jpg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(jpegQuality);
            }
            writer.write(null, new IIOImage(toBufferedImage(image), null, null), param);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("encoding " + format + " in memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static ImageReader readerFor(ImageInputStream in) throws IOException {
        if (in == null) {
            throw new IOException("cannot open image stream");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IOException("not a JPEG or PNG image (unrecognised file signature)");
        }
        return readers.next();
    }
}
