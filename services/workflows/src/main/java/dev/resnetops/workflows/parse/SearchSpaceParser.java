package dev.resnetops.workflows.parse;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.GridAxis;
import dev.resnetops.workflows.definition.GridSearch;
import dev.resnetops.workflows.definition.Literal;
import dev.resnetops.workflows.definition.RandomDimension;
import dev.resnetops.workflows.definition.RandomSearch;
import dev.resnetops.workflows.definition.SearchSpace;
import dev.resnetops.workflows.definition.Value;
import dev.resnetops.workflows.definition.ValueType;
import dev.resnetops.workflows.yaml.YamlEntry;
import dev.resnetops.workflows.yaml.YamlList;
import dev.resnetops.workflows.yaml.YamlMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a fan-out's {@code grid:} or {@code random:} section. */
final class SearchSpaceParser {

    private final Problems problems;
    private final NodeReader nodes;
    private final ValueParser values;

    SearchSpaceParser(Problems problems) {
        this.problems = problems;
        this.nodes = new NodeReader(problems);
        this.values = new ValueParser(problems);
    }

    Optional<SearchSpace> parse(MappingFields fields, int stepLine, String where) {
        Optional<YamlEntry> grid = fields.optional("grid");
        Optional<YamlEntry> random = fields.optional("random");
        if (grid.isPresent() == random.isPresent()) {
            problems.add(stepLine, where + ": a fan-out needs exactly one of 'grid' or 'random'");
            return Optional.empty();
        }
        if (grid.isPresent()) {
            return nodes.map(grid.get(), where + ": grid").flatMap(map -> grid(map, grid.get().keyLine(), where));
        }
        return nodes.map(random.get(), where + ": random").flatMap(map -> random(map, random.get().keyLine(), where));
    }

    private Optional<SearchSpace> grid(YamlMap map, int line, String where) {
        List<GridAxis> axes = new ArrayList<>();
        for (YamlEntry entry : map.entries()) {
            String what = where + ": grid." + entry.key();
            Optional<ValueType> type = trainingField(entry, what);
            Optional<YamlList> list = nodes.list(entry, what);
            if (type.isEmpty() || list.isEmpty()) {
                continue;
            }
            List<Value> axisValues = new ArrayList<>();
            Set<Object> seen = new HashSet<>();
            for (var item : list.get().items()) {
                values.parse(item, what).ifPresent(value -> {
                    if (value instanceof Literal literal && !seen.add(literal.value())) {
                        problems.add(value.line(), what + ": " + literal.value() + " is listed twice");
                    }
                    axisValues.add(value);
                });
            }
            if (list.get().items().isEmpty()) {
                problems.add(entry.keyLine(), what + ": needs at least one value");
            }
            axes.add(new GridAxis(entry.key(), entry.keyLine(), type.get(), axisValues));
        }
        if (map.entries().isEmpty()) {
            problems.add(line, where + ": grid needs at least one training field with a list of values");
        }
        return Optional.of(new GridSearch(line, axes));
    }

    private Optional<SearchSpace> random(YamlMap map, int line, String where) {
        MappingFields fields = new MappingFields(map, where + ": random", problems);
        Optional<Value> samples = fields.required("samples")
                .flatMap(entry -> values.parse(entry.value(), where + ": random.samples"));
        Value seed = fields.optional("seed")
                .flatMap(entry -> values.parse(entry.value(), where + ": random.seed"))
                .orElse(new Literal(0L, line));
        List<RandomDimension> dimensions = fields.required("space")
                .flatMap(entry -> nodes.map(entry, where + ": random.space"))
                .map(space -> dimensions(space, where))
                .orElse(List.of());
        fields.rejectUnknown();
        return samples.map(count -> new RandomSearch(line, count, seed, dimensions));
    }

    private List<RandomDimension> dimensions(YamlMap space, String where) {
        List<RandomDimension> dimensions = new ArrayList<>();
        if (space.entries().isEmpty()) {
            problems.add(space.line(), where + ": random.space needs at least one training field");
        }
        for (YamlEntry entry : space.entries()) {
            String what = where + ": random.space." + entry.key();
            Optional<ValueType> type = trainingField(entry, what);
            Optional<YamlMap> map = nodes.map(entry, what);
            if (type.isEmpty() || map.isEmpty()) {
                continue;
            }
            dimension(entry, map.get(), type.get(), what).ifPresent(dimensions::add);
        }
        return dimensions;
    }

    private Optional<RandomDimension> dimension(YamlEntry entry, YamlMap map, ValueType type, String what) {
        MappingFields fields = new MappingFields(map, what, problems);
        Optional<Value> min = fields.optional("min").flatMap(e -> values.parse(e.value(), what + ".min"));
        Optional<Value> max = fields.optional("max").flatMap(e -> values.parse(e.value(), what + ".max"));
        boolean log = fields.optional("log").flatMap(e -> nodes.bool(e.value(), what + ".log")).orElse(false);
        List<Value> choices = new ArrayList<>();
        fields.optional("values").flatMap(e -> nodes.list(e, what + ".values"))
                .ifPresent(list -> list.items().forEach(item -> values.parse(item, what + ".values").ifPresent(choices::add)));
        fields.rejectUnknown();
        boolean range = min.isPresent() && max.isPresent();
        if (range == !choices.isEmpty() || (!range && (min.isPresent() || max.isPresent()))) {
            problems.add(entry.keyLine(), what + ": give either 'min' and 'max' (and optionally 'log: true')"
                    + " or a non-empty list of 'values'");
            return Optional.empty();
        }
        if (range && type != ValueType.INT && type != ValueType.NUMBER) {
            problems.add(entry.keyLine(), what + ": a " + type + " field cannot be sampled from a range; list its 'values'");
            return Optional.empty();
        }
        if (log && !range) {
            problems.add(entry.keyLine(), what + ": 'log' applies to a min/max range only");
        }
        return Optional.of(new RandomDimension(entry.key(), entry.keyLine(), type, min, max, log, choices));
    }

    private Optional<ValueType> trainingField(YamlEntry entry, String what) {
        Optional<ValueType> type = TrainingFields.typeOf(entry.key());
        if (type.isEmpty()) {
            problems.add(entry.keyLine(), what + ": '" + entry.key() + "' is not a training configuration field"
                    + " (fields: " + String.join(", ", TrainingFields.names()) + ")");
        } else if (type.get() == ValueType.NUMBER_LIST) {
            problems.add(entry.keyLine(), what + ": list fields cannot be searched over");
            return Optional.empty();
        }
        return type;
    }
}
