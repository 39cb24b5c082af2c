package dev.resnetops.vision.model;

/** The first layers of the network, before Stage 1. */
public enum Stem {
    /** 7x7 stride-2 convolution + 3x3 stride-2 max-pool: ImageNet-sized inputs (224 px). */
    IMAGENET,
    /**
     * 3x3 stride-1 convolution, no max-pool. For inputs up to 64 px (Fashion-MNIST, CIFAR): the
     * ImageNet stem would shrink a 32 px image to 8 px before Stage 1 and Stage 4 would see 1x1.
     */
    SMALL,
    /**
     * Three 3x3 convolutions (32, 32 and 64 channels, the first with stride 2) + 3x3 stride-2
     * max-pool: the "deep stem" of ResNet-C (He et al., Bag of Tricks, 2019) as timm's resnet50d has
     * it, so that its published weights load unchanged. Same output size as {@link #IMAGENET}.
     */
    DEEP;

    /** Channels of the deep stem's first two convolutions (timm's stem_width). */
    public static final int DEEP_STEM_WIDTH = 32;
    /** Channels every stem hands to Stage 1. */
    public static final int OUTPUT_CHANNELS = 64;
}
