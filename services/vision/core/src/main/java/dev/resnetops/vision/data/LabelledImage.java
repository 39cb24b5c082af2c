package dev.resnetops.vision.data;

/**
 * An image read from a source dataset together with its class index.
 *
 * @param origin where it came from (file, or file#record), used to name it in problem reports
 */
public record LabelledImage(String origin, DecodedImage image, int label) {
}
