package dev.resnetops.onnx.export;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Appends ONNX nodes and initializers to a graph with the raw protobuf builders (tribuo's operator
 * enum has no Conv, BatchNormalization or pooling). Each method takes its input tensor's name and
 * returns the name of the tensor it produced, so the network reads as a chain.
 */
final class OnnxGraph {

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int nodeCount;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A float input or output of shape {@code [N, dims...]}, N symbolic so any batch size runs. */
    void input(String name, long... dims) {
        graph.addInput(batchedFloat(name, dims));
    }

    void output(String name, long... dims) {
        graph.addOutput(batchedFloat(name, dims));
    }

    String conv(String input, Pair<String, Parameter> weight, int stride) {
        long[] shape = weight.getValue().getArray().getShape().getShape();
        long kernel = shape[2];
        long pad = kernel / 2;
        return node("Conv", new String[] {input, initializer(weight)},
                ints("kernel_shape", kernel, kernel), ints("strides", stride, stride), ints("pads", pad, pad, pad, pad),
                ints("dilations", 1, 1), integer("group", 1));
    }

    String batchNorm(String input, Pair<String, Parameter> gamma, Pair<String, Parameter> beta,
            Pair<String, Parameter> mean, Pair<String, Parameter> var, float epsilon) {
        return node("BatchNormalization",
                new String[] {input, initializer(gamma), initializer(beta), initializer(mean), initializer(var)},
                real("epsilon", epsilon));
    }

    String relu(String input) {
        return node("Relu", new String[] {input});
    }

    String add(String a, String b) {
        return node("Add", new String[] {a, b});
    }

    String maxPool(String input, int kernel, int stride, int pad) {
        return node("MaxPool", new String[] {input}, ints("kernel_shape", kernel, kernel),
                ints("strides", stride, stride), ints("pads", pad, pad, pad, pad));
    }

    /** ceil_mode so odd sizes keep their last row/column; count_include_pad=0 averages real pixels only. */
    String ceilAvgPool(String input, int kernel, int stride) {
        return node("AveragePool", new String[] {input}, ints("kernel_shape", kernel, kernel),
                ints("strides", stride, stride), ints("pads", 0, 0, 0, 0), integer("ceil_mode", 1),
                integer("count_include_pad", 0));
    }

    String globalAvgPool(String input) {
        return node("GlobalAveragePool", new String[] {input});
    }

    String flatten(String input) {
        return node("Flatten", new String[] {input}, integer("axis", 1));
    }

    /** {@code input x weight^T + bias}: DJL's Linear stores its weight as [units, inFeatures]. */
    String linear(String input, Pair<String, Parameter> weight, Pair<String, Parameter> bias, String outputName) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType("Gemm").setName("Gemm_" + nodeCount++)
                .addInput(input).addInput(initializer(weight)).addInput(initializer(bias)).addOutput(outputName)
                .addAttribute(integer("transB", 1));
        graph.addNode(node);
        return outputName;
    }

    GraphProto build() {
        return graph.build();
    }

    private String node(String opType, String[] inputs, AttributeProto... attributes) {
        String name = opType + "_" + nodeCount++;
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(name).addOutput(name);
        for (String in : inputs) {
            node.addInput(in);
        }
        for (AttributeProto a : attributes) {
            node.addAttribute(a);
        }
        graph.addNode(node);
        return name;
    }

    /** The parameter as a float32 initializer named after the DJL parameter, so errors trace back. */
    private String initializer(Pair<String, Parameter> parameter) {
        String name = parameter.getKey();
        float[] values = parameter.getValue().getArray().toFloatArray();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : parameter.getValue().getArray().getShape().getShape()) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor);
        return name;
    }

    private static ValueInfoProto batchedFloat(String name, long[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }

    private static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(values).boxed().toList()).build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }
}
