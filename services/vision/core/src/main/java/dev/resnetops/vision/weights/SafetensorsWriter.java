package dev.resnetops.vision.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * Writes float32 tensors as a safetensors file (the format {@link WeightsReader} reads and PyTorch's
 * {@code safetensors.torch.load_file} loads): our weights in a form other tools take, and the way
 * tests make weights files without Python.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {}

    public static void write(Collection<StoredTensor> tensors, Map<String, String> metadata, Path file)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (StoredTensor tensor : tensors) {
            ObjectNode entry = header.putObject(tensor.name());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (long d : tensor.shape()) {
                shape.add(d);
            }
            long end = offset + 4L * tensor.values().length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] headerBytes = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            out.write(headerBytes);
            for (StoredTensor tensor : tensors) {
                ByteBuffer data = ByteBuffer.allocate(4 * tensor.values().length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(tensor.values());
                out.write(data.array());
            }
        }
    }
}
