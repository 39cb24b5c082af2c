package dev.resnetops.vision.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.resnetops.vision.train.AutogradOff;
import dev.resnetops.vision.weights.MappedWeights;
import dev.resnetops.vision.weights.StoredTensor;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import dev.resnetops.vision.weights.TorchKeyLayout.Role;
import java.util.List;
import java.util.Map;

/**
 * Copies mapped PyTorch/timm weights into an initialised network of the same preset. The network's
 * parameters are walked in their traversal order next to the key layout, and each pair is checked
 * (parameter type for the tensor's role, and shape) before any value is written, so a layout that
 * disagreed with the network would fail here rather than load weights into the wrong layers.
 * Entries without values (a new classifier head) keep the network's own initialisation.
 */
public final class StateDictLoader {

    private static final Map<Role, Parameter.Type> TYPES = Map.of(
            Role.CONV_WEIGHT, Parameter.Type.WEIGHT,
            Role.BN_WEIGHT, Parameter.Type.GAMMA,
            Role.BN_BIAS, Parameter.Type.BETA,
            Role.BN_RUNNING_MEAN, Parameter.Type.RUNNING_MEAN,
            Role.BN_RUNNING_VAR, Parameter.Type.RUNNING_VAR,
            Role.FC_WEIGHT, Parameter.Type.WEIGHT,
            Role.FC_BIAS, Parameter.Type.BIAS);

    private StateDictLoader() {}

    /** @throws IllegalStateException if the block is not the network the weights were mapped for */
    public static void load(Block block, MappedWeights weights) {
        if (!block.isInitialized()) {
            throw new IllegalStateException("initialise the network before loading weights into it");
        }
        List<Pair<String, Parameter>> parameters = block.getParameters().stream().toList();
        List<Entry> entries = weights.entries();
        if (parameters.size() != entries.size()) {
            throw new IllegalStateException("the network has " + parameters.size() + " parameters and buffers but "
                    + "the weights were mapped for " + entries.size());
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            Parameter parameter = parameters.get(i).getValue();
            Shape shape = parameter.getArray().getShape();
            if (parameter.getType() != TYPES.get(entry.role()) || !shape.equals(new Shape(entry.shape()))) {
                throw new IllegalStateException("parameter " + i + " (" + parameters.get(i).getKey() + ", "
                        + parameter.getType() + " " + shape + ") does not match " + entry.key() + " ("
                        + entry.role() + " " + StoredTensor.describe(entry.shape()) + ")");
            }
        }
        try (AutogradOff autogradOff = new AutogradOff()) {
            for (int i = 0; i < entries.size(); i++) {
                float[] values = weights.values().get(i);
                if (values == null) {
                    continue;
                }
                NDArray array = parameters.get(i).getValue().getArray();
                boolean trainable = array.hasGradient();
                // create() wraps the Java buffer without copying (from_blob) and the buffer is freed once the
                // wrapper is garbage: measured as a use-after-free (the first 32 bytes of a weight turned to
                // allocator pointers). duplicate() copies into memory libtorch owns; toType gives that copy the
                // parameter's type (a float64 network stays float64) under a handle of its own, which intern
                // swaps in, freeing the old tensor, while the parameter keeps its NDArray object.
                try (NDArray wrapped = array.getManager().create(values, array.getShape());
                        NDArray owned = wrapped.duplicate()) {
                    array.intern(owned.toType(array.getDataType(), true));
                }
                array.setRequiresGradient(trainable);
            }
        }
    }
}
