package dev.resnetops.vision.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A {@link SequentialBlock} that closes each intermediate result as soon as the next layer has
 * consumed it, instead of leaving every activation to the end of the step's {@code NDScope}.
 *
 * <p>Why: PyTorch eager frees an activation when its last Python reference goes, keeping only what
 * autograd saved for the backward pass, and backward then frees those as it goes. A DJL array holds
 * its tensor until closed, so without this every activation of the forward pass stays resident through
 * the whole backward pass as well (the 1.6x peak memory of issue 16). Closing our handle is always safe:
 * a tensor that autograd saved keeps its own reference and lives exactly as long as the graph needs it.
 */
final class ReleasingSequentialBlock extends SequentialBlock {

    /** Leading children that always run as in evaluation (frozen BatchNorm statistics when fine-tuning). */
    private int evaluationPrefix;

    /**
     * Runs the first {@code children} children in evaluation mode even while training: their
     * BatchNorms normalise with, and keep, their running statistics. Not saved with the parameters:
     * it is how this run trains, not part of the model.
     */
    void runInEvaluationMode(int children) {
        if (children < 0 || children > this.children.size()) {
            throw new IllegalArgumentException("the block has " + this.children.size() + " children, not " + children);
        }
        this.evaluationPrefix = children;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList current = inputs;
        int index = 0;
        for (Block block : children.values()) {
            NDList next = block.forward(parameterStore, current, training && index++ >= evaluationPrefix);
            if (current != inputs) {
                releaseUnlessReturned(current, next);
            }
            current = next;
        }
        return current;
    }

    /** Closes {@code consumed}'s arrays, except any that a layer passed through into {@code produced}. */
    static void releaseUnlessReturned(NDList consumed, NDList produced) {
        Set<NDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(produced);
        for (NDArray array : consumed) {
            if (!kept.contains(array)) {
                array.close();
            }
        }
    }
}
