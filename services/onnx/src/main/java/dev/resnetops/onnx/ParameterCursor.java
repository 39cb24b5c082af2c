package dev.resnetops.onnx;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Walks a DJL block's parameters in their deterministic traversal order and hands each one out only
 * if it is what the architecture spec expects next (type and shape). DJL's relu, pooling and add are
 * opaque lambdas, so the graph is written from the spec; this cursor is what proves the spec and
 * the block agree, parameter by parameter.
 */
final class ParameterCursor {

    private final Iterator<Pair<String, Parameter>> parameters;
    private final String preset;
    private int position;

    ParameterCursor(PairList<String, Parameter> parameters, String preset) {
        this.parameters = parameters.iterator();
        this.preset = preset;
    }

    /**
     * The next parameter, checked to be of {@code type} with {@code shape}.
     *
     * @param role where the spec expects it, e.g. "stage 3 block 1 shortcut conv", for the error
     */
    Pair<String, Parameter> next(String role, Parameter.Type type, long... shape) {
        if (!parameters.hasNext()) {
            throw new UnsupportedModelException("preset " + preset + ": the spec expects " + describe(type, shape)
                    + " for " + role + " but the block has only " + position + " parameters");
        }
        Pair<String, Parameter> next = parameters.next();
        position++;
        Parameter p = next.getValue();
        long[] actual = p.getArray().getShape().getShape();
        if (p.getType() != type || !Arrays.equals(actual, shape)) {
            throw new UnsupportedModelException("preset " + preset + ": parameter #" + position + " '" + next.getKey()
                    + "' is " + describe(p.getType(), actual) + " but the spec expects " + describe(type, shape)
                    + " for " + role + "; the block is not the architecture the exporter writes");
        }
        return next;
    }

    /** Fails if the block has parameters the spec did not account for. */
    void expectEnd() {
        if (parameters.hasNext()) {
            String extra = parameters.next().getKey();
            throw new UnsupportedModelException("preset " + preset + ": the block has more parameters than the spec ("
                    + position + "); first unexpected one is '" + extra + "'");
        }
    }

    private static String describe(Parameter.Type type, long[] shape) {
        return type + " " + Arrays.toString(shape);
    }
}
