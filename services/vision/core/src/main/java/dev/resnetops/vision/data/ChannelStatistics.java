package dev.resnetops.vision.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The per-channel mean and standard deviation (of pixel values in [0,1]) that a network's inputs are
 * normalised with, and where they come from. Weights learned on one normalisation see shifted inputs
 * under another, so fine-tuning normalises as the weights were trained, not as the new dataset happens
 * to be distributed.
 *
 * @param origin a short description for logs and provenance, e.g. "ImageNet (torchvision, timm)"
 */
public record ChannelStatistics(float[] mean, float[] std, String origin) {

    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public ChannelStatistics {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel, got " + mean.length + " and "
                    + std.length);
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * The statistics torchvision's and timm's ResNet weights were trained with. For one channel, the
     * average of the three: the first convolution of 3-channel weights on grey images is the sum over
     * its input channels, which is exact only when every channel is normalised alike.
     */
    public static ChannelStatistics imagenet(int channels) {
        if (channels == 3) {
            return new ChannelStatistics(IMAGENET_MEAN, IMAGENET_STD, "ImageNet (torchvision, timm)");
        }
        if (channels == 1) {
            return new ChannelStatistics(new float[] {average(IMAGENET_MEAN)}, new float[] {average(IMAGENET_STD)},
                    "ImageNet, averaged over RGB for grey images");
        }
        throw new IllegalArgumentException("ImageNet statistics exist for 1 or 3 channels, not " + channels);
    }

    /** The dataset's own statistics, measured at ingestion. */
    public static ChannelStatistics ofDataset(DatasetManifest manifest) {
        return new ChannelStatistics(toFloats(manifest.mean()), toFloats(manifest.std()),
                "dataset " + manifest.name());
    }

    public int channels() {
        return mean.length;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    private static float[] toFloats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    private static float average(float[] values) {
        return (values[0] + values[1] + values[2]) / 3f;
    }

    // Records compare arrays by identity; statistics are values.
    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelStatistics s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std)
                && Objects.equals(origin, s.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(mean), Arrays.hashCode(std), origin);
    }

    @Override
    public String toString() {
        return origin + ": mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
