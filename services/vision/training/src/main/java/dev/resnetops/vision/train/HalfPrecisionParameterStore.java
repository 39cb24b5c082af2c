package dev.resnetops.vision.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Serves fp16 working copies of the fp32 master parameters for one training step: the forward
 * and backward run in half precision, the gradients land on the copies, and the optimizer updates
 * the fp32 masters (mixed precision with master weights, Micikevicius et al. 2018).
 *
 * <p>DJL cannot cast a block ({@code Block.cast} throws) and {@code NDArray.toType} cuts the
 * autograd graph, so the copies are made leaves of their own: one per parameter per step.
 */
final class HalfPrecisionParameterStore extends ParameterStore {

    private final Map<Parameter, NDArray> copies = new IdentityHashMap<>();

    HalfPrecisionParameterStore(NDManager manager) {
        super(manager, false);
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null; // DJL asks for absent optional parameters (a conv without bias)
        }
        return copies.computeIfAbsent(parameter, p -> {
            NDArray copy = p.getArray().toType(DataType.FLOAT16, true);
            if (p.requiresGradient()) {
                copy.setRequiresGradient(true);
            }
            return copy;
        });
    }

    /** The fp16 gradient of a parameter, or null when the step did not use it. */
    NDArray gradient(Parameter parameter) {
        NDArray copy = copies.get(parameter);
        return copy == null ? null : copy.getGradient();
    }

    /**
     * BN running statistics were updated in place on the fp16 copies; write them back to the fp32
     * masters. Called only for applied steps, so an overflowing step cannot poison the statistics.
     */
    void copyRunningStatisticsToMasters() {
        copies.forEach((parameter, copy) -> {
            if (!parameter.requiresGradient()) {
                NDArray master = parameter.getArray();
                master.muli(0).addi(copy.toType(DataType.FLOAT32, false));
            }
        });
    }
}
