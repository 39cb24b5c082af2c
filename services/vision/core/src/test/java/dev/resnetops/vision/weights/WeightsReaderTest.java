package dev.resnetops.vision.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The readers against files PyTorch and safetensors wrote (src/test/resources/pretrained, made by
 * vision-training's src/test/python/make_pretrained_fixtures.py): every dtype, a scalar, views with
 * an offset and a transposed stride, the legacy format, a training checkpoint, and the hostile and
 * damaged files a user might be handed.
 */
class WeightsReaderTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"tensors.pth", "legacy.pth", "tensors.safetensors"})
    void readsEveryTensorWithTheValuesPyTorchSaved(String file) throws IOException {
        WeightsFile weights = WeightsReader.read(fixture(file));
        JsonNode expected = expected().path("tensors");

        Iterable<String> names = expected::fieldNames;
        if (weights.format() == WeightsFormat.SAFETENSORS) {
            // safetensors orders its header by dtype and name, not by the state dict
            assertThat(weights.tensors().keySet()).containsExactlyInAnyOrderElementsOf(names);
        } else {
            assertThat(weights.tensors().keySet()).as("the state dict's order").containsExactlyElementsOf(names);
        }
        expected.fields().forEachRemaining(e -> {
            StoredTensor tensor = weights.tensors().get(e.getKey());
            JsonNode spec = e.getValue();
            assertThat(tensor.dtype().name()).as(e.getKey()).isEqualTo(dtypeName(spec.path("dtype").asText()));
            assertThat(tensor.shape()).as(e.getKey()).containsExactly(longs(spec.path("shape")));
            float[] values = tensor.values();
            JsonNode expectedValues = spec.path("values");
            assertThat(values).as(e.getKey()).hasSize(expectedValues.size());
            for (int i = 0; i < values.length; i++) {
                // every stored value is exact in float32 except f64's, which are rounded to nearest
                assertThat(values[i]).as(e.getKey() + "[" + i + "]").isEqualTo((float) expectedValues.get(i).asDouble());
            }
        });
        assertThat(weights.sha256()).hasSize(64);
    }

    @Test
    void tellsTheFormatsApart() {
        assertThat(WeightsReader.read(fixture("tensors.pth")).format()).isEqualTo(WeightsFormat.PYTORCH_ZIP);
        assertThat(WeightsReader.read(fixture("legacy.pth")).format()).isEqualTo(WeightsFormat.PYTORCH_LEGACY);
        assertThat(WeightsReader.read(fixture("tensors.safetensors")).format()).isEqualTo(WeightsFormat.SAFETENSORS);
    }

    @Test
    void takesTheStateDictOutOfATrainingCheckpointAndSaysSo() {
        WeightsFile weights = WeightsReader.read(fixture("nested.pth"));

        assertThat(weights.tensors()).containsOnlyKeys("f32");
        assertThat(weights.notes()).anySatisfy(note -> assertThat(note).contains("'state_dict' entry", "epoch", "arch"));
    }

    @Test
    void refusesAPickleThatWouldRunAShellCommandByName() {
        assertThatThrownBy(() -> WeightsReader.read(fixture("evil-system.pth")))
                .isInstanceOf(WeightsFileException.class)
                .hasMessageContaining("evil-system.pth")
                .hasMessageContaining("posix.system")
                .hasMessageContaining("not part of a state dict of tensors");
    }

    @Test
    void refusesAPickleThatWouldCallEval() {
        assertThatThrownBy(() -> WeightsReader.read(fixture("evil-eval.pth")))
                .isInstanceOf(WeightsFileException.class)
                .hasMessageContaining("'__builtin__.eval'"); // protocol 2 writes Python 2's module name
    }

    @ParameterizedTest
    @ValueSource(strings = {"tensors.pth", "legacy.pth", "tensors.safetensors"})
    void aTruncatedFileFailsWithItsNameInsteadOfLoadingPart(String file) throws IOException {
        byte[] whole = Files.readAllBytes(fixture(file));
        for (int keep : new int[] {whole.length - 1, whole.length * 3 / 4, whole.length / 2, 20, 5}) {
            Path truncated = temp.resolve("cut-" + keep + "-" + file);
            Files.write(truncated, Arrays.copyOf(whole, keep));
            assertThatThrownBy(() -> WeightsReader.read(truncated))
                    .as("%s cut to %d of %d bytes", file, keep, whole.length)
                    .isInstanceOf(WeightsFileException.class)
                    .hasMessageContaining(truncated.toString());
        }
    }

    @Test
    void aSafetensorsRangeThatDisagreesWithItsShapeIsRefused() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}";
        Path file = safetensors(header, new byte[24]);

        assertThatThrownBy(() -> WeightsReader.read(file))
                .isInstanceOf(WeightsFileException.class)
                .hasMessageContaining("tensor 'w'")
                .hasMessageContaining("needs 24 bytes");
    }

    @Test
    void anUnknownDtypeIsNamed() throws IOException {
        Path file = safetensors("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);

        assertThatThrownBy(() -> WeightsReader.read(file)).hasMessageContaining("'F8_E4M3'");
    }

    @Test
    void somethingElseEntirelyIsNamedAsNeitherFormat() throws IOException {
        Path file = temp.resolve("photo.jpg");
        Files.write(file, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2, 3, 4, 5, 6, 7, 8});

        assertThatThrownBy(() -> WeightsReader.read(file))
                .isInstanceOf(WeightsFileException.class)
                .hasMessageContaining("neither a safetensors file nor a PyTorch checkpoint");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = temp.resolve("nowhere.pth");

        assertThatThrownBy(() -> WeightsReader.read(missing)).hasMessageContaining(missing + " does not exist");
    }

    @Test
    void halfPrecisionConvertsExactlyIncludingSubnormalsAndInfinity() {
        assertThat(TensorDtype.halfToFloat((short) 0x3C00)).isEqualTo(1f);
        assertThat(TensorDtype.halfToFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(TensorDtype.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(TensorDtype.halfToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(TensorDtype.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(TensorDtype.halfToFloat((short) 0x7E00)).isNaN();
    }

    private Path safetensors(String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8 + json.length + data.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(json.length).put(json).put(data);
        Path file = temp.resolve("hand-made.safetensors");
        Files.write(file, buffer.array());
        return file;
    }

    private static String dtypeName(String torchName) {
        return Map.of("float32", "F32", "float16", "F16", "bfloat16", "BF16", "float64", "F64", "int64", "I64")
                .get(torchName);
    }

    private static long[] longs(JsonNode values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asLong();
        }
        return out;
    }

    private static JsonNode expected() throws IOException {
        try (InputStream in = WeightsReaderTest.class.getResourceAsStream("/pretrained/tensors.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Path fixture(String name) {
        try {
            return Path.of(WeightsReaderTest.class.getResource("/pretrained/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("missing test fixture " + name, e));
        }
    }
}
