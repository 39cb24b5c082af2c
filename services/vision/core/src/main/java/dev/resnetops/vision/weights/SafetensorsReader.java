package dev.resnetops.vision.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file: an 8-byte little-endian header length, a JSON header mapping each tensor
 * name to its dtype, shape and byte range, then the tensors' bytes. Every range is checked against
 * the shape and the file before a value is read, so a truncated or doctored file fails with the
 * tensor's name instead of reading past the end or into a neighbour.
 */
final class SafetensorsReader {

    /** The format's own limit (100 MB); a larger "header" is a different or damaged file. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsReader() {}

    static Map<String, StoredTensor> read(ByteBuffer file, String source, List<String> notes) {
        ByteBuffer buffer = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.remaining() < 8) {
            throw new WeightsFileException(source + " is not a safetensors file: " + buffer.remaining()
                    + " bytes, shorter than the 8-byte header length");
        }
        long headerLength = buffer.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > buffer.remaining() - 8) {
            throw new WeightsFileException(source + " is not a safetensors file (or is truncated): its header "
                    + "length field says " + headerLength + " bytes but the file has " + buffer.remaining());
        }
        byte[] headerBytes = new byte[(int) headerLength];
        buffer.get(8, headerBytes);
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new WeightsFileException(source + ": the safetensors header is not valid JSON ("
                    + e.getOriginalMessage() + ")");
        }
        if (header == null || !header.isObject()) {
            throw new WeightsFileException(source + ": the safetensors header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLength;
        long dataLength = buffer.limit() - (long) dataStart;
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        header.fields().forEachRemaining(entries::add);
        for (Map.Entry<String, JsonNode> entry : entries) {
            if (entry.getKey().equals("__metadata__")) {
                notes.add("safetensors metadata: " + entry.getValue());
                continue;
            }
            tensors.put(entry.getKey(), tensor(buffer, dataStart, dataLength, entry.getKey(), entry.getValue(), source));
        }
        return tensors;
    }

    private static StoredTensor tensor(ByteBuffer buffer, int dataStart, long dataLength, String name, JsonNode spec,
            String source) {
        String where = source + ": tensor '" + name + "'";
        String dtypeName = spec.path("dtype").asText("");
        TensorDtype dtype = TensorDtype.fromSafetensors(dtypeName).orElseThrow(() -> new WeightsFileException(
                where + " has dtype '" + dtypeName + "', which is not one of F32, F16, BF16, F64, I64, I32, I16, I8, "
                        + "U8, BOOL"));
        JsonNode shapeNode = spec.path("shape");
        JsonNode offsets = spec.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new WeightsFileException(where + " needs a 'shape' array and two 'data_offsets', found " + spec);
        }
        long[] shape = new long[shapeNode.size()];
        Iterator<JsonNode> dims = shapeNode.elements();
        for (int i = 0; dims.hasNext(); i++) {
            JsonNode dim = dims.next();
            shape[i] = dim.canConvertToLong() ? dim.asLong() : -1;
        }
        long numel = StoredTensor.numel(shape);
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (numel < 0 || numel > Integer.MAX_VALUE) {
            throw new WeightsFileException(where + " has an impossible shape " + shapeNode);
        }
        if (begin < 0 || end < begin || end - begin != numel * dtype.bytes()) {
            throw new WeightsFileException(where + " of shape " + StoredTensor.describe(shape) + " and dtype " + dtype
                    + " needs " + numel * dtype.bytes() + " bytes, but its data_offsets are [" + begin + ", " + end + "]");
        }
        if (end > dataLength) {
            throw new WeightsFileException(where + " ends at byte " + end + " of the data, but the file has only "
                    + dataLength + " bytes of data (truncated?)");
        }
        float[] values = new float[(int) numel];
        int at = dataStart + (int) begin;
        for (int i = 0; i < values.length; i++, at += dtype.bytes()) {
            values[i] = dtype.read(buffer, at);
        }
        return new StoredTensor(name, dtype, shape, values);
    }
}
