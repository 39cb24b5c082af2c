package dev.resnetops.vision.network;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.train.AutogradOff;
import dev.resnetops.vision.weights.MappedWeights;
import dev.resnetops.vision.weights.StateDictMapper;
import dev.resnetops.vision.weights.StoredTensor;
import dev.resnetops.vision.weights.TorchKeyLayout;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import dev.resnetops.vision.weights.TorchKeyLayout.Role;
import dev.resnetops.vision.weights.TorchKeyLayout.ShortcutNaming;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exactness proof of weight import: for torchvision's resnet50, the paper's model and timm's
 * resnet50d, weights imported through the key mapping give the logits PyTorch computed for the same
 * weights and inputs (src/test/resources/pretrained/logits.json, written by
 * src/test/python/make_pretrained_fixtures.py with torch, torchvision and timm), in eval mode and in
 * train mode, and the same BatchNorm running statistics after the train-mode pass.
 */
class PretrainedLogitsTest {

    /** The bound, max absolute difference of fp32 logits. */
    private static final double TOLERANCE = 1e-4;
    private static JsonNode fixture;

    @BeforeAll
    static void readFixture() throws IOException {
        try (InputStream in = PretrainedLogitsTest.class.getResourceAsStream("/pretrained/logits.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "resnet50-paper", "resnet50d"})
    void importedWeightsGivePyTorchsLogitsInEvalAndTrainMode(String presetName) {
        ModelPreset preset = ModelZoo.preset(presetName);
        JsonNode expected = fixture.path("models").path(presetName);
        int classes = fixture.path("classes").asInt();
        ShortcutNaming naming = presetName.equals("resnet50d") ? ShortcutNaming.TIMM_AVG_DOWN : ShortcutNaming.TORCHVISION;
        List<Entry> entries = TorchKeyLayout.entries(preset, 3, classes, naming);
        long norms = entries.stream().filter(e -> e.role() == Role.BN_WEIGHT).count();
        assertThat(entries.size() + norms)
                .as("our layout plus one num_batches_tracked per BatchNorm covers PyTorch's whole state dict")
                .isEqualTo(expected.path("keys").asLong());

        MappedWeights mapped = StateDictMapper.map(FormulaWeights.stateDict(entries), preset, 3, classes, false);
        assertThat(mapped.naming()).isEqualTo(naming);
        long[] inputShape = longs(fixture.path("inputShape"));
        StoredTensor input = FormulaWeights.tensor("input", inputShape);

        try (NDManager manager = NDManager.newBaseManager(); AutogradOff autogradOff = new AutogradOff()) {
            ResNet network = ResNet.of(preset, classes);
            network.initialize(manager, new Shape(1, 3, inputShape[2], inputShape[3]));
            Block block = network.block();
            assertThat(ResNet.countParameters(block)).isEqualTo(expected.path("parameters").asLong());
            StateDictLoader.load(block, mapped);
            NDArray images = manager.create(input.values(), new Shape(inputShape));
            ParameterStore store = new ParameterStore(manager, false);

            float[] eval = block.forward(store, new NDList(images), false).singletonOrThrow().toFloatArray();
            assertClose(eval, expected.path("eval"), presetName + " eval-mode logits");
            float[] train = block.forward(store, new NDList(images), true).singletonOrThrow().toFloatArray();
            assertClose(train, expected.path("train"), presetName + " train-mode logits");

            Map<String, Integer> index = new java.util.HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                index.put(entries.get(i).key(), i);
            }
            var parameters = block.getParameters();
            expected.path("runningStats").fields().forEachRemaining(norm -> {
                float[] mean = parameters.valueAt(index.get(norm.getKey() + ".running_mean")).getArray().toFloatArray();
                float[] var = parameters.valueAt(index.get(norm.getKey() + ".running_var")).getArray().toFloatArray();
                assertClose(mean, norm.getValue().path("mean"), norm.getKey() + " running mean after the train pass");
                assertClose(var, norm.getValue().path("var"), norm.getKey() + " running variance after the train pass");
            });
        }
    }

    private static void assertClose(float[] actual, JsonNode expected, String what) {
        double[] flat = expected.isArray() && expected.size() > 0 && expected.get(0).isArray()
                ? flatten(expected)
                : doubles(expected);
        assertThat(actual).as(what + ": count").hasSize(flat.length);
        double worst = 0;
        for (int i = 0; i < flat.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - flat[i]));
        }
        assertThat(worst).as(what + ": max |Java - PyTorch|").isLessThanOrEqualTo(TOLERANCE);
    }

    private static double[] flatten(JsonNode rows) {
        int columns = rows.get(0).size();
        double[] out = new double[rows.size() * columns];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns; c++) {
                out[r * columns + c] = rows.get(r).get(c).asDouble();
            }
        }
        return out;
    }

    private static double[] doubles(JsonNode values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asDouble();
        }
        return out;
    }

    private static long[] longs(JsonNode values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asLong();
        }
        return out;
    }
}
