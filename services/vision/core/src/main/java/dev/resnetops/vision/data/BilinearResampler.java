package dev.resnetops.vision.data;

/**
 * Crops a rectangle out of an image and resizes it with bilinear interpolation.
 *
 * <p>Sampling uses pixel centres ({@code src = (dst + 0.5) * scale - 0.5}, the "align_corners=False"
 * convention of PyTorch and PIL), so resizing never shifts the image by half a pixel. When shrinking by
 * two or more, the image is first box-averaged by an integer factor: plain bilinear would skip pixels
 * and alias, which matters when an ImageNet photo of 4000 px is stored at 256 px.
 */
public final class BilinearResampler {

    private BilinearResampler() {
    }

    /** Resizes the whole image to {@code outWidth x outHeight}. */
    public static DecodedImage resize(DecodedImage src, int outWidth, int outHeight) {
        return cropResize(src, 0, 0, src.width(), src.height(), outWidth, outHeight);
    }

    /** Resizes so that the shorter side becomes {@code shortSide}, keeping the aspect ratio. */
    public static DecodedImage resizeShorterSide(DecodedImage src, int shortSide) {
        int w = src.width();
        int h = src.height();
        if (w <= h) {
            return resize(src, shortSide, Math.max(1, (int) Math.round((double) h * shortSide / w)));
        }
        return resize(src, Math.max(1, (int) Math.round((double) w * shortSide / h)), shortSide);
    }

    /**
     * Takes the rectangle with top-left {@code (x0, y0)} and size {@code cropW x cropH} (in source pixels,
     * may be fractional) and resamples it to {@code outW x outH}.
     */
    public static DecodedImage cropResize(DecodedImage src, double x0, double y0, double cropW, double cropH,
                                          int outW, int outH) {
        int factor = (int) Math.min(cropW / outW, cropH / outH);
        if (factor >= 2) {
            DecodedImage shrunk = boxShrink(src, factor);
            return cropResize(shrunk, x0 / factor, y0 / factor, cropW / factor, cropH / factor, outW, outH);
        }
        int c = src.channels();
        byte[] out = new byte[outW * outH * c];
        double scaleX = cropW / outW;
        double scaleY = cropH / outH;
        int[] xLow = new int[outW];
        int[] xHigh = new int[outW];
        double[] xWeight = new double[outW];
        for (int x = 0; x < outW; x++) {
            double sx = clamp(x0 + (x + 0.5) * scaleX - 0.5, src.width() - 1);
            xLow[x] = (int) Math.floor(sx);
            xHigh[x] = Math.min(xLow[x] + 1, src.width() - 1);
            xWeight[x] = sx - xLow[x];
        }
        byte[] p = src.pixels();
        int rowStride = src.width() * c;
        for (int y = 0; y < outH; y++) {
            double sy = clamp(y0 + (y + 0.5) * scaleY - 0.5, src.height() - 1);
            int y1 = (int) Math.floor(sy);
            int y2 = Math.min(y1 + 1, src.height() - 1);
            double wy = sy - y1;
            for (int x = 0; x < outW; x++) {
                double wx = xWeight[x];
                for (int ch = 0; ch < c; ch++) {
                    double top = (p[y1 * rowStride + xLow[x] * c + ch] & 0xFF) * (1 - wx)
                            + (p[y1 * rowStride + xHigh[x] * c + ch] & 0xFF) * wx;
                    double bottom = (p[y2 * rowStride + xLow[x] * c + ch] & 0xFF) * (1 - wx)
                            + (p[y2 * rowStride + xHigh[x] * c + ch] & 0xFF) * wx;
                    out[(y * outW + x) * c + ch] = (byte) Math.round(top * (1 - wy) + bottom * wy);
                }
            }
        }
        return new DecodedImage(outW, outH, c, out);
    }

    /** Averages {@code factor x factor} blocks; a partial last row/column block averages what it has. */
    static DecodedImage boxShrink(DecodedImage src, int factor) {
        int c = src.channels();
        int w = (src.width() + factor - 1) / factor;
        int h = (src.height() + factor - 1) / factor;
        long[] sums = new long[w * h * c];
        int[] counts = new int[w * h];
        byte[] p = src.pixels();
        for (int y = 0; y < src.height(); y++) {
            int oy = y / factor;
            for (int x = 0; x < src.width(); x++) {
                int o = oy * w + x / factor;
                counts[o]++;
                for (int ch = 0; ch < c; ch++) {
                    sums[o * c + ch] += p[(y * src.width() + x) * c + ch] & 0xFF;
                }
            }
        }
        byte[] out = new byte[sums.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.round((double) sums[i] / counts[i / c]);
        }
        return new DecodedImage(w, h, c, out);
    }

    private static double clamp(double v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }
}
