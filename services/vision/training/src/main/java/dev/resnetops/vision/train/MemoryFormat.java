package dev.resnetops.vision.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.resnetops.vision.data.Batch;

/**
 * How a batch's images are laid out in memory when they enter the network. Both are NCHW to every
 * layer (same shapes, same parameters, same checkpoints); only the strides differ.
 */
public enum MemoryFormat {

    /** Plain NCHW: each channel's plane is contiguous. */
    CONTIGUOUS,

    /**
     * NHWC in memory, viewed as NCHW: a pixel's channels are adjacent. libtorch's oneDNN convolutions
     * run faster on it and keep it for their outputs, so it flows through the whole network and back
     * (issue 16: +20% img/s for PyTorch eager on this CPU). DJL has no memory-format API, but a tensor
     * copied into NHWC order and permuted back to NCHW has exactly channels-last strides.
     */
    CHANNELS_LAST;

    /**
     * Puts the block's convolution weights in this layout, in place (the parameters keep their identity,
     * shape and values). With channels-last activations but planar weights, libtorch reorders each weight
     * on every convolution and its gradient back on every backward pass (measured: the Java step 4% behind
     * PyTorch's channels-last one until the weights matched). Checkpoints are unaffected: reading an array's
     * data always gives it in NCHW order. Call again after loading parameters, which replaces the arrays.
     */
    public void applyToWeights(Block block) {
        if (this == CONTIGUOUS) {
            return;
        }
        try (AutogradOff autogradOff = new AutogradOff()) {
            for (Parameter parameter : block.getParameters().values()) {
                NDArray weight = parameter.getArray();
                if (weight.getShape().dimension() == 4) {
                    boolean trainable = weight.hasGradient();
                    // A parameter must be a leaf, not a view: libtorch refuses in-place updates of a view
                    // made with autograd off. detach() keeps the strides and is no view in autograd's sense.
                    try (NDArray view = toChannelsLast(weight)) {
                        weight.intern(view.stopGradient());
                    }
                    weight.setRequiresGradient(trainable);
                }
            }
        }
    }

    /** The batch's images as an {@code (N, C, H, W)} array in this layout. */
    public NDArray images(NDManager manager, Batch batch) {
        Shape nchw = new Shape(batch.size(), batch.channels(), batch.height(), batch.width());
        NDArray planar = manager.create(batch.data(), nchw);
        return this == CONTIGUOUS ? planar : toChannelsLast(planar);
    }

    private static NDArray toChannelsLast(NDArray nchw) {
        Shape shape = nchw.getShape();
        // flatten() of a permuted view cannot be a view: libtorch copies it, in NHWC order. The views on the
        // way are closed: the first one would otherwise keep the planar original alive.
        try (NDArray permuted = nchw.transpose(0, 2, 3, 1);
                NDArray copied = permuted.flatten();
                NDArray nhwc = copied.reshape(shape.get(0), shape.get(2), shape.get(3), shape.get(1))) {
            return nhwc.transpose(0, 3, 1, 2);
        }
    }
}
