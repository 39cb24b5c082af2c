package dev.resnetops.vision.data;

/**
 * Converts between channel layouts: 1 (gray), 2 (gray + alpha), 3 (RGB), 4 (RGBA) to 1 or 3.
 *
 * <p>Alpha is dropped, not composited: training images with transparency are rare, and dropping keeps
 * the colour of every pixel as stored. Gray from RGB uses the ITU-R 601 luma weights, like PIL's "L" mode,
 * so a model trained on converted images sees what a Python pipeline would.
 */
public final class ChannelConverter {

    private ChannelConverter() {
    }

    public static DecodedImage convert(DecodedImage image, int targetChannels) {
        if (targetChannels != 1 && targetChannels != 3) {
            throw new IllegalArgumentException("can only convert to 1 or 3 channels, not " + targetChannels);
        }
        int from = image.channels();
        if (from == targetChannels) {
            return image;
        }
        int pixelCount = image.width() * image.height();
        byte[] src = image.pixels();
        byte[] out = new byte[pixelCount * targetChannels];
        for (int p = 0; p < pixelCount; p++) {
            int base = p * from;
            if (targetChannels == 3) {
                if (from <= 2) { // gray or gray+alpha: replicate gray
                    byte g = src[base];
                    out[p * 3] = g;
                    out[p * 3 + 1] = g;
                    out[p * 3 + 2] = g;
                } else { // RGBA: drop alpha
                    System.arraycopy(src, base, out, p * 3, 3);
                }
            } else if (from <= 2) {
                out[p] = src[base];
            } else {
                int r = src[base] & 0xFF;
                int g = src[base + 1] & 0xFF;
                int b = src[base + 2] & 0xFF;
                out[p] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            }
        }
        return new DecodedImage(image.width(), image.height(), targetChannels, out);
    }
}
