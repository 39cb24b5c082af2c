package dev.resnetops.vision.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates the per-channel mean and standard deviation of pixel values (scaled to [0,1]) over
 * many images, for the normalisation constants in the manifest. Exact integer sums are kept, so the
 * result does not depend on image order and does not lose precision over a million images.
 */
public final class PixelStatistics {

    private final long[] sum;
    private final long[] sumOfSquares;
    private long pixelsPerChannel;

    public PixelStatistics(int channels) {
        sum = new long[channels];
        sumOfSquares = new long[channels];
    }

    public void add(DecodedImage image) {
        int c = sum.length;
        if (image.channels() != c) {
            throw new IllegalArgumentException("expected " + c + " channels, got " + image.channels());
        }
        byte[] p = image.pixels();
        for (int i = 0; i < p.length; i++) {
            int v = p[i] & 0xFF;
            sum[i % c] += v;
            sumOfSquares[i % c] += v * v;
        }
        pixelsPerChannel += (long) image.width() * image.height();
    }

    public List<Double> mean() {
        List<Double> out = new ArrayList<>();
        for (long s : sum) {
            out.add(pixelsPerChannel == 0 ? 0.0 : s / 255.0 / pixelsPerChannel);
        }
        return out;
    }

    /** Population standard deviation, as torchvision's usual recipe computes it. */
    public List<Double> std() {
        List<Double> out = new ArrayList<>();
        for (int ch = 0; ch < sum.length; ch++) {
            if (pixelsPerChannel == 0) {
                out.add(0.0);
                continue;
            }
            double mean = (double) sum[ch] / pixelsPerChannel;
            double variance = (double) sumOfSquares[ch] / pixelsPerChannel - mean * mean;
            out.add(Math.sqrt(Math.max(0, variance)) / 255.0);
        }
        return out;
    }
}
