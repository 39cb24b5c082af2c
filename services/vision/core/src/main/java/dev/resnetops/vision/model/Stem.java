package dev.resnetops.vision.model;

/** The first layers of the network, before Stage 1. */
public enum Stem {
    /** 7x7 stride-2 convolution + 3x3 stride-2 max-pool: ImageNet-sized inputs (224 px). */
    IMAGENET,
    /**
     * 3x3 stride-1 convolution, no max-pool. For inputs up to 64 px (Fashion-MNIST, CIFAR): the
     * ImageNet stem would shrink a 32 px image to 8 px before Stage 1 and Stage 4 would see 1x1.
     */
    SMALL
}
