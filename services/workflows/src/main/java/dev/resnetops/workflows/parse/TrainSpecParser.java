package dev.resnetops.workflows.parse;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.ConfigField;
import dev.resnetops.workflows.definition.StepLink;
import dev.resnetops.workflows.definition.TrainSpec;
import dev.resnetops.workflows.definition.Value;
import dev.resnetops.workflows.definition.ValueType;
import dev.resnetops.workflows.yaml.YamlEntry;
import dev.resnetops.workflows.yaml.YamlMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the training fields of a train step or a fan-out template: dataset, experiment, extends, config. */
final class TrainSpecParser {

    private final Problems problems;
    private final NodeReader nodes;
    private final ValueParser values;

    TrainSpecParser(Problems problems) {
        this.problems = problems;
        this.nodes = new NodeReader(problems);
        this.values = new ValueParser(problems);
    }

    TrainSpec parse(MappingFields fields, String where) {
        Optional<Value> dataset = fields.optional("dataset")
                .flatMap(entry -> values.parse(entry.value(), where + ": dataset"));
        Optional<Value> experiment = fields.optional("experiment")
                .flatMap(entry -> values.parse(entry.value(), where + ": experiment"));
        Optional<StepLink> extendsStep = fields.optional("extends")
                .flatMap(entry -> nodes.stepLink(entry.value(), where + ": extends"));
        List<ConfigField> config = fields.optional("config")
                .flatMap(entry -> nodes.map(entry, where + ": config"))
                .map(map -> config(map, where))
                .orElse(List.of());
        return new TrainSpec(dataset, experiment, extendsStep, config);
    }

    private List<ConfigField> config(YamlMap map, String where) {
        List<ConfigField> fields = new ArrayList<>();
        for (YamlEntry entry : map.entries()) {
            Optional<ValueType> type = TrainingFields.typeOf(entry.key());
            if (type.isEmpty()) {
                problems.add(entry.keyLine(), where + ": config: '" + entry.key() + "' is not a training configuration"
                        + " field (fields: " + String.join(", ", TrainingFields.names()) + ")");
                continue;
            }
            values.parse(entry.value(), where + ": config." + entry.key())
                    .ifPresent(value -> fields.add(new ConfigField(entry.key(), value, entry.keyLine(), type.get())));
        }
        return fields;
    }
}
