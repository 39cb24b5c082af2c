package dev.resnetops.onnx.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Walks a DJL block's parameters in their deterministic traversal order and hands each one out only
 * if it is what the architecture spec expects next (type and shape). DJL's relu, pooling and add are
 * opaque lambdas, so the graph is written from the spec; this cursor is what proves the spec and
 * the block agree, parameter by parameter.
 *
 * <p>Shapes alone cannot tell a stride-2 1x1 shortcut from the pooled shortcut's stride-1 1x1, so
 * convolutions are also checked against the next {@link Convolution} block of the tree (kernel,
 * stride, padding, dilation, groups, bias), which are in the same traversal order.
 */
final class ParameterCursor {

    private final Iterator<Pair<String, Parameter>> parameters;
    private final Iterator<Convolution> convolutions;
    private final String preset;
    private int position;

    ParameterCursor(Block block, String preset) {
        this.parameters = block.getParameters().iterator();
        List<Convolution> convs = new ArrayList<>();
        collectConvolutions(block, convs);
        this.convolutions = convs.iterator();
        this.preset = preset;
    }

    /** The weight of the next convolution, checked to be a square {@code kernel} conv with {@code stride}. */
    Pair<String, Parameter> convolution(String role, int filters, int inChannels, int kernel, int stride) {
        Pair<String, Parameter> weight = next(role, Parameter.Type.WEIGHT, filters, inChannels, kernel, kernel);
        if (!convolutions.hasNext()) {
            throw new UnsupportedModelException("preset " + preset + ": parameter '" + weight.getKey()
                    + "' is not owned by a convolution block, but the spec expects " + role);
        }
        Convolution conv = convolutions.next();
        int pad = kernel / 2;
        boolean matches = conv.getKernelShape().equals(new Shape(kernel, kernel))
                && conv.getStride().equals(new Shape(stride, stride))
                && conv.getPadding().equals(new Shape(pad, pad))
                && conv.getDilation().equals(new Shape(1, 1))
                && conv.getGroups() == 1 && !conv.isIncludeBias();
        if (!matches) {
            throw new UnsupportedModelException("preset " + preset + ": convolution of '" + weight.getKey()
                    + "' has kernel " + conv.getKernelShape() + ", stride " + conv.getStride() + ", padding "
                    + conv.getPadding() + ", dilation " + conv.getDilation() + ", groups " + conv.getGroups()
                    + ", bias " + conv.isIncludeBias() + " but the spec expects a " + kernel + "x" + kernel
                    + " stride-" + stride + " convolution with padding " + pad + " and no bias for " + role);
        }
        return weight;
    }

    private static void collectConvolutions(Block block, List<Convolution> out) {
        if (block instanceof Convolution conv) {
            out.add(conv);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collectConvolutions(child.getValue(), out);
        }
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
        if (convolutions.hasNext()) {
            throw new UnsupportedModelException("preset " + preset + ": the block has more convolutions than the spec");
        }
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
