package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.vision.config.ConfigProblem;
import dev.resnetops.vision.config.InvalidConfigException;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.ConfigField;
import dev.resnetops.workflows.definition.StepDefinition;
import dev.resnetops.workflows.definition.TrainSpec;
import dev.resnetops.workflows.definition.TrainStep;
import dev.resnetops.workflows.definition.ValueType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Layers a train step's configuration (its {@code extends} chain, then its own {@code config}) and has
 * TrainingConfig judge the result, so a workflow is held to exactly the rules a job submitted over
 * HTTP is: a workflow that is accepted is one whose every training can start.
 */
final class TrainingConfigResolver {

    private final Map<String, StepDefinition> steps;
    private final ValueResolver values;

    TrainingConfigResolver(Map<String, StepDefinition> steps, ValueResolver values) {
        this.steps = steps;
        this.values = values;
    }

    /** The spec's settings; the parser has ruled out cycles and missing datasets. */
    TrainingSettings settings(TrainSpec spec) {
        TrainingSettings base = spec.extendsStep()
                .map(link -> settings(((TrainStep) steps.get(link.id())).spec()))
                .orElse(new TrainingSettings(null, null, Map.of()));
        Map<String, TrainingSettings.Setting> own = new LinkedHashMap<>();
        for (ConfigField field : spec.config()) {
            own.put(field.name(), new TrainingSettings.Setting(values.resolve(field.value(), field.type()), field.line()));
        }
        JsonNode dataset = spec.dataset().map(value -> values.resolve(value, ValueType.STRING)).orElse(base.dataset());
        JsonNode experiment = spec.experiment().map(value -> values.resolve(value, ValueType.STRING))
                .orElse(base.experiment());
        return new TrainingSettings(dataset, experiment, base.fields()).with(own);
    }

    /**
     * The full configuration (every field, defaults filled in) as TrainingConfig writes it, or empty
     * with each of TrainingConfig's complaints recorded at the line that set the field.
     */
    Optional<JsonNode> validate(TrainingSettings settings, String stepKey, int stepLine, Problems problems) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        settings.fields().forEach((name, setting) -> tree.set(name, setting.value()));
        try {
            TrainingConfig config = TrainingConfigCodec.fromTree(tree);
            return Optional.of(TrainingConfigCodec.toTree(config));
        } catch (InvalidConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                TrainingSettings.Setting setting = problem.field() == null ? null : settings.fields().get(problem.field());
                problems.add(setting == null ? stepLine : setting.line(),
                        "step '" + stepKey + "': training configuration: " + problem);
            }
            return Optional.empty();
        }
    }
}
