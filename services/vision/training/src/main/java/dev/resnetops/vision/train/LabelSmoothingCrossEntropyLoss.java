package dev.resnetops.vision.train;

import ai.djl.ndarray.NDArray;

/**
 * Cross-entropy against smoothed targets, with PyTorch's semantics
 * ({@code nn.CrossEntropyLoss(label_smoothing=eps)}): the target is
 * {@code (1 - eps) * onehot + eps / K}, so the loss is {@code (1 - eps) * nll + eps * mean_k(-log p_k)},
 * averaged over the batch. With eps = 0 it is plain cross-entropy.
 *
 * <p>DJL's {@code SoftmaxCrossEntropyLoss} has no smoothing, hence this class. eps is a double, rounded
 * by libtorch to the logits' type like PyTorch's Python float: fp32 logits get the fp32 value, float64
 * ones the exact one.
 */
public final class LabelSmoothingCrossEntropyLoss {

    private final double epsilon;

    public LabelSmoothingCrossEntropyLoss(double epsilon) {
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new IllegalArgumentException("label smoothing eps must be in [0, 1), found " + epsilon);
        }
        this.epsilon = epsilon;
    }

    /**
     * @param logits (N, K) raw scores, any float type (computed in the logits' type: pass float32
     *     logits under mixed precision)
     * @param labels (N) class indices
     * @return the scalar mean loss, attached to the autograd graph of {@code logits}
     */
    public NDArray evaluate(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(1);
        NDArray logProbabilities = logits.logSoftmax(1);
        NDArray target = labels.oneHot((int) classes, logits.getDataType())
                .mul(1 - epsilon)
                .add(epsilon / classes);
        return logProbabilities.mul(target).sum(new int[] {1}).neg().mean();
    }

    public double epsilon() {
        return epsilon;
    }
}
