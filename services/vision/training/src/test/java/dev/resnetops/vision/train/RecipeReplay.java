package dev.resnetops.vision.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.vision.data.Batch;
import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.FormulaWeights;
import dev.resnetops.vision.network.ResNet;
import dev.resnetops.vision.network.StateDictLoader;
import dev.resnetops.vision.weights.StateDictMapper;
import dev.resnetops.vision.weights.TorchKeyLayout;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Our recipe run on what src/test/python/make_pretrained_fixtures.py gives PyTorch: resnet18-small with
 * the formula weights, the formula batches and labels of each step, label-smoothing loss and Nesterov
 * SGD with the fixture's hyperparameters, channels-last as our trainer runs. The tests then compare
 * the result with the fixture's.
 */
final class RecipeReplay {

    static final ModelPreset PRESET = ModelZoo.preset("resnet18-small");
    private static final int CLASSES = 10;

    /**
     * @param losses the loss of each step
     * @param snapshots after the requested steps (1-based), every state-dict tensor by its torchvision
     *     key, as doubles (exact for fp32)
     */
    record Result(List<Double> losses, Map<Integer, Map<String, double[]>> snapshots) {}

    private RecipeReplay() {}

    static JsonNode fixture(String resource) {
        try (InputStream in = RecipeReplay.class.getResourceAsStream(resource)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trains {@code fixture.steps} steps with parameters of {@code type}. */
    static Result run(JsonNode fixture, DataType type, LearningRateSchedule schedule, Set<Integer> snapshotSteps) {
        JsonNode recipe = fixture.path("recipe");
        int steps = fixture.path("steps").asInt();
        int[] shape = new int[4];
        for (int i = 0; i < 4; i++) {
            shape[i] = fixture.path("batchShape").get(i).asInt();
        }
        List<Entry> entries = TorchKeyLayout.entries(PRESET, 3, CLASSES, TorchKeyLayout.ShortcutNaming.TORCHVISION);
        List<Double> losses = new ArrayList<>();
        Map<Integer, Map<String, double[]>> snapshots = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(); AutogradOff autogradOff = new AutogradOff()) {
            ResNet network = ResNet.of(PRESET, CLASSES);
            network.initialize(manager, new Shape(1, 3, shape[2], shape[3]), type);
            StateDictLoader.load(network.block(), StateDictMapper.map(FormulaWeights.stateDict(entries), PRESET, 3,
                    CLASSES, false));
            MemoryFormat.CHANNELS_LAST.applyToWeights(network.block());
            List<Parameter> parameters = network.block().getParameters().values();
            List<Parameter> trainable = parameters.stream().filter(Parameter::requiresGradient).toList();
            SgdOptimizer optimizer = new SgdOptimizer(trainable, recipe.path("momentum").asDouble(),
                    recipe.path("nesterov").asBoolean(), recipe.path("weightDecay").asDouble(), manager);
            TrainingStep step = new TrainingStep(network.block(), trainable, optimizer,
                    new DynamicLossScaler(DynamicLossScaler.DEFAULT_INITIAL_SCALE, 2000),
                    new LabelSmoothingCrossEntropyLoss(recipe.path("labelSmoothing").asDouble()), false,
                    MemoryFormat.CHANNELS_LAST, manager);
            for (int s = 0; s < steps; s++) {
                float[] images = FormulaWeights.tensor("batch" + s, shape[0], shape[1], shape[2], shape[3]).values();
                int[] labels = new int[shape[0]];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = (3 * s + 7 * i) % CLASSES;
                }
                losses.add(step.run(new Batch(images, labels, shape[0], shape[1], shape[2], shape[3]),
                        schedule.learningRate(s)).loss());
                if (snapshotSteps.contains(s + 1)) {
                    Map<String, double[]> values = new LinkedHashMap<>();
                    for (int i = 0; i < entries.size(); i++) {
                        values.put(entries.get(i).key(),
                                parameters.get(i).getArray().toType(DataType.FLOAT64, false).toDoubleArray());
                    }
                    snapshots.put(s + 1, values);
                }
            }
        }
        return new Result(losses, snapshots);
    }
}
