package dev.resnetops.vision.data;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an image file must satisfy before the platform decodes it: the one pixel limit, the one byte
 * limit and the accepted formats, shared by ingestion, the trainer's and CLI's dataset readers,
 * {@code POST /classify} and the inference stream. Every check reads only the file size or the image
 * header, so a refused image costs no decoding.
 *
 * <p>An entry point that needs a tighter bound (a public endpoint, say) narrows the shared one with
 * {@link #atMostPixels} or {@link #atMostBytes}; it cannot widen it, so the global limit stays the
 * ceiling everywhere.
 *
 * @param maxPixels width x height of the largest accepted image
 * @param maxBytes  size of the largest accepted encoded file
 * @param formats   accepted formats as ImageIO names them, lower case ({@code jpeg}, {@code png})
 */
public record ImageLimits(long maxPixels, long maxBytes, Set<String> formats) {

    /**
     * 40 megapixels: any camera photo, and a decoded RGB image of at most 120 MB. A PNG of a few
     * hundred kilobytes can declare 20,000 x 20,000 pixels (1.2 GB decoded): a decompression bomb.
     */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** 16 MiB: above the largest ILSVRC-2012 JPEG and any camera JPEG, far below a service's heap. */
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
    /** For {@code @WithDefault} and picocli defaults, which need a constant string. */
    public static final String DEFAULT_MAX_PIXELS_TEXT = "" + DEFAULT_MAX_PIXELS;
    public static final String DEFAULT_MAX_BYTES_TEXT = "" + DEFAULT_MAX_BYTES;
    /** What every reader accepts unless a dataset format explicitly allows more. */
    public static final Set<String> DEFAULT_FORMATS = Set.of("jpeg", "png");

    public static final ImageLimits DEFAULT = new ImageLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES, DEFAULT_FORMATS);

    public ImageLimits {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("the image pixel limit must be positive, found " + maxPixels);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the image byte limit must be positive, found " + maxBytes);
        }
        if (formats == null || formats.isEmpty()) {
            throw new IllegalArgumentException("at least one image format must be accepted");
        }
        formats = Set.copyOf(formats.stream().map(ImageLimits::canonical).toList());
    }

    /**
     * These limits with the pixel limit lowered to {@code pixels}.
     *
     * @throws IllegalArgumentException when {@code pixels} is above this pixel limit: an entry point
     *     may be stricter than the platform, never looser
     */
    public ImageLimits atMostPixels(long pixels) {
        if (pixels > maxPixels) {
            throw new IllegalArgumentException("a pixel limit of " + pixels + " is above the platform's limit of "
                    + maxPixels + " (ImageLimits); an entry point may only lower it");
        }
        return new ImageLimits(pixels, maxBytes, formats);
    }

    /** These limits with the byte limit lowered to {@code bytes}; refuses to raise it, like {@link #atMostPixels}. */
    public ImageLimits atMostBytes(long bytes) {
        if (bytes > maxBytes) {
            throw new IllegalArgumentException("a byte limit of " + bytes + " is above the platform's limit of "
                    + maxBytes + " (ImageLimits); an entry point may only lower it");
        }
        return new ImageLimits(maxPixels, bytes, formats);
    }

    /** For a dataset format that explicitly accepts more than JPEG and PNG. */
    public ImageLimits alsoAllowing(String... moreFormats) {
        Set<String> all = new TreeSet<>(formats);
        for (String f : moreFormats) {
            all.add(canonical(f));
        }
        return new ImageLimits(maxPixels, maxBytes, all);
    }

    /** @throws ImageRefusedException when a file of {@code size} bytes is over the byte limit */
    public void checkBytes(long size) {
        if (size > maxBytes) {
            throw new ImageRefusedException("file is " + size + " bytes, over the image limit of " + maxBytes
                    + " bytes; shrink or re-encode it");
        }
    }

    /** @throws ImageRefusedException when {@code format} (an ImageIO format name) is not accepted */
    public void checkFormat(String format) {
        String name = canonical(format);
        if (!formats.contains(name)) {
            throw new ImageRefusedException("unsupported format " + name + ": expected " + describeFormats()
                    + "; convert the image");
        }
    }

    /** @throws ImageRefusedException when a {@code width} x {@code height} image is over the pixel limit */
    public void checkPixels(long width, long height) {
        long pixels = width * height;
        if (pixels > maxPixels) {
            throw new ImageRefusedException("image is " + width + "x" + height + " = " + pixels
                    + " pixels, over the limit of " + maxPixels + " (decompression-bomb guard); downscale it");
        }
    }

    /** "JPEG or PNG". */
    public String describeFormats() {
        return String.join(" or ", new TreeSet<>(formats).stream().map(f -> f.toUpperCase(Locale.ROOT)).toList());
    }

    private static String canonical(String format) {
        String f = format.strip().toLowerCase(Locale.ROOT);
        return f.equals("jpg") ? "jpeg" : f;
    }
}
