package dev.resnetops.onnx.export;

import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.data.Split;
import java.util.Random;

/**
 * The inputs the parity gate runs through both engines, already preprocessed to NCHW floats.
 *
 * @param description what the images are, for the report ("fashion-mnist test split, first 512")
 */
public record ParitySample(String description, float[] data, int count, int channels, int size) {

    /** Held-out images: a few hundred is enough to see a systematic difference in Top-1. */
    public static final int DEFAULT_TEST_IMAGES = 512;
    public static final int DEFAULT_RANDOM_TENSORS = 64;

    public ParitySample {
        if ((long) count * channels * size * size != data.length) {
            throw new IllegalArgumentException("parity sample of " + count + " x " + channels + " x " + size + " x "
                    + size + " needs " + (long) count * channels * size * size + " floats, got " + data.length);
        }
    }

    /**
     * The first {@code limit} images of the test split, preprocessed exactly as evaluation does. The
     * first ones rather than a random draw so that two exports of one checkpoint see the same images.
     */
    public static ParitySample fromTestSplit(ShardedDataset dataset, Preprocessing preprocessing, int limit) {
        int available = dataset.size(Split.TEST);
        if (available == 0) {
            throw new IllegalArgumentException("dataset " + dataset.directory() + " has no test images for the parity gate");
        }
        int n = Math.min(limit, available);
        float[] data = new float[n * preprocessing.sampleLength()];
        for (int i = 0; i < n; i++) {
            preprocessing.evaluateInto(dataset.image(Split.TEST, i), data, i * preprocessing.sampleLength());
        }
        return new ParitySample(dataset.manifest().name() + " test split, first " + n + " images", data, n,
                preprocessing.channels(), preprocessing.inputSize());
    }

    /** Standard-normal tensors, for when no dataset is at hand (weaker: real images have structure). */
    public static ParitySample random(int count, int channels, int size, long seed) {
        Random rng = new Random(seed);
        float[] data = new float[count * channels * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rng.nextGaussian();
        }
        return new ParitySample(count + " standard-normal random tensors (seed " + seed + ")", data, count,
                channels, size);
    }

    int sampleLength() {
        return channels * size * size;
    }
}
