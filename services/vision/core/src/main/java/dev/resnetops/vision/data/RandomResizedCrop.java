package dev.resnetops.vision.data;

import java.util.random.RandomGenerator;

/** Chooses the crop box of torchvision's RandomResizedCrop, with the same retries and fallback. */
final class RandomResizedCrop {

    private static final int ATTEMPTS = 10;

    private RandomResizedCrop() {
    }

    /** Returns {x, y, width, height} of a crop inside a {@code width x height} image. */
    static double[] sample(int width, int height, TrainAugmentation aug, RandomGenerator rng) {
        double area = (double) width * height;
        double logMin = Math.log(aug.minRatio());
        double logMax = Math.log(aug.maxRatio());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * (aug.minScale() + rng.nextDouble() * (aug.maxScale() - aug.minScale()));
            double ratio = Math.exp(logMin + rng.nextDouble() * (logMax - logMin));
            int w = (int) Math.round(Math.sqrt(targetArea * ratio));
            int h = (int) Math.round(Math.sqrt(targetArea / ratio));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                int x = rng.nextInt(width - w + 1);
                int y = rng.nextInt(height - h + 1);
                return new double[] {x, y, w, h};
            }
        }
        // Fallback when no random box fits (extreme aspect ratios): the central crop with the ratio clamped.
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < aug.minRatio()) {
            h = (int) Math.round(w / aug.minRatio());
        } else if (inRatio > aug.maxRatio()) {
            w = (int) Math.round(h * aug.maxRatio());
        }
        return new double[] {(width - w) / 2, (height - h) / 2, w, h};
    }
}
