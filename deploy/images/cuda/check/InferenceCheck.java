import ai.onnxruntime.OrtEnvironment;
import dev.resnetops.onnx.runtime.OnnxSession;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Run inside the inference-cuda image (deploy/images/cuda/check.sh): opens a small convolutional
 * model through the inference service's own OnnxSession (CUDA when the runtime has it and a GPU takes
 * the session, else CPU) and runs one batch. Prints the provider that ran it.
 */
public final class InferenceCheck {

    public static void main(String[] args) throws Exception {
        System.out.println("check: ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion()
                + ", providers in this build: " + OrtEnvironment.getAvailableProviders());
        Path model = Files.createTempFile("check-", ".onnx");
        Files.write(model, tinyConvNet());
        try (OnnxSession session = new OnnxSession(model, 1, true)) {
            float[] images = new float[2 * 3 * 8 * 8];
            Arrays.fill(images, 0.5f);
            float[][] logits = session.logits(images, 2, 3, 8, 8);
            System.out.println("check: provider=" + session.provider() + " logits[0]=" + Arrays.toString(logits[0]));
        } finally {
            Files.deleteIfExists(model);
        }
    }

    /**
     * input [N,3,8,8] -> Conv (2 filters 3x3, all weights 0.1, bias 1) -> GlobalAveragePool -> Flatten
     * -> logits [N,2]; for an input of 0.5 everywhere each logit is 27 * 0.05 + 1 = 2.35. The ONNX
     * protobuf written by hand, so the check needs nothing beyond the image.
     */
    static byte[] tinyConvNet() {
        float[] weights = new float[2 * 3 * 3 * 3];
        Arrays.fill(weights, 0.1f);
        byte[] graph = concat(
                node("Conv", "conv", new String[] {"input", "W", "B"}, "conv_out"),
                node("GlobalAveragePool", "pool", new String[] {"conv_out"}, "pooled"),
                node("Flatten", "flatten", new String[] {"pooled"}, "logits"),
                field(2, string("check")),
                field(5, tensor("W", new long[] {2, 3, 3, 3}, weights)),
                field(5, tensor("B", new long[] {2}, new float[] {1f, 1f})),
                field(11, valueInfo("input", 3, 8, 8)),
                field(12, valueInfo("logits", 2)));
        return concat(
                varintField(1, 8), // ir_version
                field(2, string("resnetops image check")),
                field(7, graph),
                field(8, varintField(2, 13))); // opset_import: default domain, opset 13
    }

    private static byte[] node(String op, String name, String[] inputs, String output) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String input : inputs) {
            out.writeBytes(field(1, string(input)));
        }
        out.writeBytes(field(2, string(output)));
        out.writeBytes(field(3, string(name)));
        out.writeBytes(field(4, string(op)));
        return field(1, out.toByteArray());
    }

    private static byte[] tensor(String name, long[] dims, float[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long dim : dims) {
            out.writeBytes(varintField(1, dim));
        }
        out.writeBytes(varintField(2, 1)); // FLOAT
        out.writeBytes(field(8, string(name)));
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        out.writeBytes(field(9, raw.array()));
        return out.toByteArray();
    }

    /** A float tensor [batch, dims...], the batch dimension symbolic. */
    private static byte[] valueInfo(String name, long... dims) {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        shape.writeBytes(field(1, field(2, string("batch"))));
        for (long dim : dims) {
            shape.writeBytes(field(1, varintField(1, dim)));
        }
        byte[] tensorType = concat(varintField(1, 1), field(2, shape.toByteArray()));
        return concat(field(1, string(name)), field(2, field(1, tensorType)));
    }

    private static byte[] string(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A length-delimited field (wire type 2). */
    private static byte[] field(int number, byte[] value) {
        return concat(varint((long) number << 3 | 2), varint(value.length), value);
    }

    /** A varint field (wire type 0). */
    private static byte[] varintField(int number, long value) {
        return concat(varint((long) number << 3), varint(value));
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
