package dev.resnetops.workflows.parse;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.ParameterDefinition;
import dev.resnetops.workflows.definition.ValueType;
import dev.resnetops.workflows.yaml.YamlEntry;
import dev.resnetops.workflows.yaml.YamlMap;
import dev.resnetops.workflows.yaml.YamlNode;
import dev.resnetops.workflows.yaml.YamlScalar;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/** Reads {@code parameters:}: each a name with {@code type}, {@code default}, {@code description} and limits. */
final class ParameterParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    private final Problems problems;
    private final NodeReader nodes;

    ParameterParser(Problems problems) {
        this.problems = problems;
        this.nodes = new NodeReader(problems);
    }

    List<ParameterDefinition> parse(YamlMap map) {
        List<ParameterDefinition> parameters = new ArrayList<>();
        for (YamlEntry entry : map.entries()) {
            String where = "parameter '" + entry.key() + "'";
            if (!NAME.matcher(entry.key()).matches()) {
                problems.add(entry.keyLine(), where + ": a name is a letter, then letters, digits, '-' or '_'");
                continue;
            }
            nodes.map(entry, where).flatMap(fields -> parameter(entry, fields, where)).ifPresent(parameters::add);
        }
        return parameters;
    }

    private Optional<ParameterDefinition> parameter(YamlEntry entry, YamlMap map, String where) {
        MappingFields fields = new MappingFields(map, where, problems);
        Optional<ValueType> type = fields.required("type").flatMap(e -> type(e, where));
        Optional<YamlEntry> defaultEntry = fields.optional("default");
        String description = fields.optional("description").flatMap(e -> nodes.text(e.value(), where + ": description"))
                .orElse("");
        Optional<YamlEntry> allowedEntry = fields.optional("values");
        Optional<YamlEntry> minEntry = fields.optional("min");
        Optional<YamlEntry> maxEntry = fields.optional("max");
        fields.rejectUnknown();
        if (type.isEmpty()) {
            return Optional.empty();
        }
        boolean numeric = type.get() == ValueType.INT || type.get() == ValueType.NUMBER;
        OptionalDouble min = bound(minEntry, numeric, where + ": min");
        OptionalDouble max = bound(maxEntry, numeric, where + ": max");
        List<Object> allowed = new ArrayList<>();
        allowedEntry.flatMap(e -> nodes.list(e, where + ": values")).ifPresent(list -> {
            for (YamlNode item : list.items()) {
                literal(item, type.get(), where + ": values").ifPresent(allowed::add);
            }
        });
        Optional<Object> defaultValue = defaultEntry.flatMap(e -> literal(e.value(), type.get(), where + ": default"));
        ParameterDefinition parameter = new ParameterDefinition(entry.key(), entry.keyLine(), type.get(), defaultValue,
                description, allowed, min, max);
        // A default outside the parameter's own limits would make every run that does not override it fail.
        defaultValue.flatMap(parameter::constraintProblem)
                .ifPresent(problem -> problems.add(defaultEntry.get().value().line(), where + ": default " + problem));
        return Optional.of(parameter);
    }

    private Optional<ValueType> type(YamlEntry entry, String where) {
        Optional<String> key = nodes.text(entry.value(), where + ": type");
        Optional<ValueType> type = key.flatMap(ValueType::parameterType);
        if (key.isPresent() && type.isEmpty()) {
            problems.add(entry.value().line(), where + ": unknown type '" + key.get() + "' (types: string, int, number, bool)");
        }
        return type;
    }

    /** A literal of the parameter's type; parameters cannot refer to each other. */
    private Optional<Object> literal(YamlNode node, ValueType type, String what) {
        Object value = node instanceof YamlScalar scalar ? scalar.value() : null;
        if (value instanceof String text && text.contains("${")) {
            problems.add(node.line(), what + " must be written out: parameters cannot use references");
            return Optional.empty();
        }
        Optional<Object> normalised = value == null ? Optional.empty() : type.normalise(value);
        if (normalised.isEmpty()) {
            problems.add(node.line(), what + " must be " + article(type) + ", found " + node.describe());
        }
        return normalised;
    }

    private OptionalDouble bound(Optional<YamlEntry> entry, boolean numeric, String what) {
        if (entry.isEmpty()) {
            return OptionalDouble.empty();
        }
        YamlNode node = entry.get().value();
        if (!numeric) {
            problems.add(entry.get().keyLine(), what + " applies to int and number parameters only");
        } else if (node instanceof YamlScalar scalar && scalar.value() instanceof Number number) {
            return OptionalDouble.of(number.doubleValue());
        } else {
            problems.add(node.line(), what + " must be a number, found " + node.describe());
        }
        return OptionalDouble.empty();
    }

    static String article(ValueType type) {
        return (type == ValueType.INT ? "an " : "a ") + type;
    }
}
