package dev.resnetops.vision.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with momentum and optional Nesterov, with PyTorch's update rule
 * ({@code torch.optim.SGD}, dampening 0), and weight decay only on convolution and linear weights.
 *
 * <p>Decaying BN gammas/betas and biases pulls them towards 0 for no regularisation benefit
 * (Goyal et al. 2017; the reference run excludes them too). DJL's {@code Sgd} decays everything and
 * keeps its state where a checkpoint cannot reach it, hence this class. Its momentum buffers are
 * fp32 "master" state, also under mixed precision.
 *
 * <p>The hyperparameters are kept as doubles and handed to libtorch as double scalars, which it rounds
 * to the parameters' type, as {@code torch.optim.SGD} does with its Python floats: an fp32 network gets
 * each factor rounded once to fp32 (the step size too, learning rate times multiplier, like a per-group
 * lr), a float64 one the exact values (momentum rounded to fp32 would be off by 2.7e-8 relative, which
 * ten float64 steps against PyTorch's show).
 */
public final class SgdOptimizer {

    private final List<Parameter> parameters;
    private final boolean[] decays;
    /** Per-parameter factor on the learning rate (1 but for a new head given a larger step). */
    private final double[] learningRateScales;
    private final List<NDArray> momentumBuffers;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    /**
     * @param parameters the trainable parameters, in a fixed order (checkpoints rely on it)
     * @param stateManager owns the momentum buffers for the life of the run
     */
    public SgdOptimizer(List<Parameter> parameters, double momentum, boolean nesterov, double weightDecay,
            NDManager stateManager) {
        if (nesterov && momentum <= 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0, found " + momentum);
        }
        this.parameters = List.copyOf(parameters);
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.decays = new boolean[parameters.size()];
        this.learningRateScales = new double[parameters.size()];
        java.util.Arrays.fill(learningRateScales, 1.0);
        this.momentumBuffers = new ArrayList<>(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            decays[i] = isDecayed(p);
            // A zero buffer gives PyTorch's first step exactly: buf = 0 * m + g = g.
            momentumBuffers.add(stateManager.zeros(p.getArray().getShape(), p.getArray().getDataType(),
                    p.getArray().getDevice()));
        }
    }

    /**
     * Multiplies the learning rate of {@code which} (those of them this optimizer updates) by
     * {@code multiplier}: a new classifier head on a pretrained body learns faster with a larger step.
     * Weight decay keeps the base rate's strength relative to the step, as PyTorch's per-group lr does.
     */
    public void scaleLearningRate(List<Parameter> which, double multiplier) {
        for (int i = 0; i < parameters.size(); i++) {
            if (which.contains(parameters.get(i))) {
                learningRateScales[i] = multiplier;
            }
        }
    }

    /** Only convolution and linear weights are decayed; BN gamma/beta and biases are not. */
    public static boolean isDecayed(Parameter parameter) {
        return parameter.getType() == Parameter.Type.WEIGHT;
    }

    /**
     * Applies one update in place. Call outside a gradient collector.
     *
     * <p>The gradients are overwritten with the update direction: it saves a parameter-sized array per
     * operation, and the caller discards (or zeroes) the gradients after the step anyway. Each scaled copy
     * is closed as soon as it is used, so the update's extra memory is one parameter's worth, not five
     * times the whole model's kept to the end of the step.
     *
     * @param gradients gradients in the parameters' type, aligned with them (null: parameter unused this step)
     */
    public void step(double learningRate, List<NDArray> gradients) {
        for (int i = 0; i < parameters.size(); i++) {
            NDArray gradient = gradients.get(i);
            if (gradient == null) {
                continue;
            }
            NDArray weight = parameters.get(i).getArray();
            if (decays[i] && weightDecay != 0) {
                addScaled(gradient, weight, weightDecay);
            }
            NDArray direction = gradient;
            if (momentum != 0) {
                NDArray buffer = momentumBuffers.get(i);
                buffer.muli(momentum).addi(gradient);
                if (nesterov) {
                    addScaled(gradient, buffer, momentum);
                } else {
                    direction = buffer;
                }
            }
            addScaled(weight, direction, -learningRate * learningRateScales[i]);
        }
    }

    /** {@code target += factor * source}, in place, the scaled copy freed at once. */
    private static void addScaled(NDArray target, NDArray source, double factor) {
        try (NDArray scaled = source.mul(factor)) {
            target.addi(scaled);
        }
    }

    public boolean decays(int index) {
        return decays[index];
    }

    /** The momentum buffers, for a checkpoint (not copies: encode them before the next step). */
    public NDList state() {
        return new NDList(momentumBuffers);
    }

    /** Restores the buffers written by {@link #state()}; shapes must match the parameters. */
    public void restore(NDList saved) {
        if (saved.size() != momentumBuffers.size()) {
            throw new IllegalArgumentException("optimizer checkpoint has " + saved.size()
                    + " momentum buffers, the model has " + momentumBuffers.size() + " trainable parameters");
        }
        for (int i = 0; i < saved.size(); i++) {
            NDArray target = momentumBuffers.get(i);
            NDArray source = saved.get(i);
            if (!target.getShape().equals(source.getShape())) {
                throw new IllegalArgumentException("optimizer checkpoint buffer " + i + " has shape "
                        + source.getShape() + ", expected " + target.getShape());
            }
            target.muli(0).addi(source);
        }
    }
}
