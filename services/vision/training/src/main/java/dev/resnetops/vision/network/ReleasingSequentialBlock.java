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

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList current = inputs;
        for (Block block : children.values()) {
            NDList next = block.forward(parameterStore, current, training);
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
