package dev.resnetops.vision.network;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.function.Consumer;

/**
 * Builds the residual blocks of a torchvision v1.5 ResNet from DJL layers.
 *
 * <p>v1.5 puts the stride on the 3x3 convolution of a bottleneck, not on its first 1x1 as the
 * original v1 (and DJL's {@code ResNetV1}) does: a strided 1x1 skips 3/4 of its input.
 */
final class ResidualBlocks {

    private ResidualBlocks() {}

    /**
     * One residual block.
     *
     * @param outputNorm receives the BatchNorm that closes the main path, so the caller can
     *     zero-initialise its gamma (each block then starts as the identity, Goyal et al. 2017)
     */
    static Block create(
            BlockKind kind,
            int width,
            int stride,
            boolean project,
            boolean avgPoolShortcut,
            Consumer<BatchNorm> outputNorm) {
        int outChannels = width * kind.expansion;
        SequentialBlock main = new ReleasingSequentialBlock();
        BatchNorm lastNorm = batchNorm();
        if (kind == BlockKind.BOTTLENECK) {
            main.add(conv(width, 1, 1)).add(batchNorm()).add(Activation::relu);
            main.add(conv(width, 3, stride)).add(batchNorm()).add(Activation::relu);
            main.add(conv(outChannels, 1, 1)).add(lastNorm);
        } else {
            main.add(conv(width, 3, stride)).add(batchNorm()).add(Activation::relu);
            main.add(conv(width, 3, 1)).add(lastNorm);
        }
        outputNorm.accept(lastNorm);

        Block shortcut = project ? projection(outChannels, stride, avgPoolShortcut) : Blocks.identityBlock();
        return new ResidualBlock(main, shortcut);
    }

    /**
     * The projection shortcut. With {@code avgPool} the downsampling is done by a 2x2 average
     * pool before a stride-1 1x1 convolution (the paper's Stage-4 change; ResNet-D when applied
     * to Stages 2-4), so the shortcut sees every input pixel instead of one in four. ceil_mode keeps
     * odd sizes aligned with the main path (7x7 gives 4x4 on both); padding is zero, so
     * count_include_pad=false only states that no padded zero is ever averaged in.
     */
    private static Block projection(int outChannels, int stride, boolean avgPool) {
        SequentialBlock shortcut = new ReleasingSequentialBlock();
        if (avgPool && stride > 1) {
            shortcut.add(Pool.avgPool2dBlock(
                    new Shape(stride, stride), new Shape(stride, stride), new Shape(0, 0), true, false));
            shortcut.add(conv(outChannels, 1, 1));
        } else {
            shortcut.add(conv(outChannels, 1, stride));
        }
        return shortcut.add(batchNorm());
    }

    static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build();
    }

    /** eps 1e-5 and DJL momentum 0.9 (= PyTorch momentum 0.1): torchvision's defaults. */
    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }
}
