package dev.resnetops.vision.data;

/**
 * An image as unsigned 8-bit pixels in HWC order (row by row, the channels of a pixel adjacent).
 * Read a pixel value with {@code pixels[(y * width + x) * channels + c] & 0xFF}.
 */
public record DecodedImage(int width, int height, int channels, byte[] pixels) {

    public DecodedImage {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive, got " + width + "x" + height + "x" + channels);
        }
        if (pixels.length != (long) width * height * channels) {
            throw new IllegalArgumentException("expected " + (long) width * height * channels
                    + " pixel bytes for " + width + "x" + height + "x" + channels + ", got " + pixels.length);
        }
    }

    /** The value (0..255) of channel {@code c} of the pixel at column {@code x}, row {@code y}. */
    public int pixel(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }
}
