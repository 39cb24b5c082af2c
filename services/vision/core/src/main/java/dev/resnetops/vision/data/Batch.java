package dev.resnetops.vision.data;

/**
 * A batch of preprocessed samples.
 *
 * @param data   {@code size * channels * height * width} floats, sample after sample, each in CHW order
 * @param labels class index of each sample
 */
public record Batch(float[] data, int[] labels, int size, int channels, int height, int width) {
}
