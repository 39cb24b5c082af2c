package dev.resnetops.vision.data;

/**
 * Random augmentation applied to training images (part of {@link Preprocessing}).
 *
 * @param policy         PAD_RANDOM_CROP for small images, RANDOM_RESIZED_CROP for ImageNet-like ones
 * @param padding        PAD_RANDOM_CROP: zero pixels added on each side before the random crop
 * @param minScale       RANDOM_RESIZED_CROP: smallest crop area as a fraction of the image area
 * @param maxScale       RANDOM_RESIZED_CROP: largest crop area fraction
 * @param minRatio       RANDOM_RESIZED_CROP: smallest crop aspect ratio (width / height)
 * @param maxRatio       RANDOM_RESIZED_CROP: largest crop aspect ratio
 * @param horizontalFlip mirror left-right with probability 1/2
 */
public record TrainAugmentation(Policy policy, int padding, double minScale, double maxScale, double minRatio,
                                double maxRatio, boolean horizontalFlip) {

    public enum Policy { PAD_RANDOM_CROP, RANDOM_RESIZED_CROP }

    /** CIFAR-style: pad 4 px of zeros on each side, random crop back to the input size, flip. */
    public static TrainAugmentation padRandomCrop(int padding) {
        return new TrainAugmentation(Policy.PAD_RANDOM_CROP, padding, 1, 1, 1, 1, true);
    }

    /** torchvision's RandomResizedCrop defaults: scale (0.08, 1), ratio (3/4, 4/3), then flip. */
    public static TrainAugmentation randomResizedCrop() {
        return new TrainAugmentation(Policy.RANDOM_RESIZED_CROP, 0, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, true);
    }
}
