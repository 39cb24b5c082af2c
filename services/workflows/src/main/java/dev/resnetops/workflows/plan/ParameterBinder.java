package dev.resnetops.workflows.plan;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.ParameterDefinition;
import dev.resnetops.workflows.definition.ValueType;
import dev.resnetops.workflows.definition.WorkflowDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run's parameter values: each parameter's default, replaced by the request's override. Every
 * override must name a declared parameter and have its type; problems point at the declaration (or at
 * {@code parameters:} for a name the workflow does not have), so the author sees what is accepted.
 */
final class ParameterBinder {

    private ParameterBinder() {}

    /** Values in declaration order, Long for int and Double for number parameters. */
    static Map<String, Object> bind(WorkflowDefinition definition, Map<String, ?> overrides, Problems problems) {
        for (String name : overrides.keySet()) {
            if (definition.parameter(name).isEmpty()) {
                problems.add(definition.parametersLine(), "the request sets '" + name + "', which is not a parameter of "
                        + definition.name() + (definition.parameters().isEmpty() ? " (it has none)"
                        : " (parameters: " + String.join(", ", definition.parameters().stream()
                        .map(ParameterDefinition::name).toList()) + ")"));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParameterDefinition parameter : definition.parameters()) {
            String where = "parameter '" + parameter.name() + "'";
            if (!overrides.containsKey(parameter.name())) {
                parameter.defaultValue().ifPresentOrElse(value -> values.put(parameter.name(), value),
                        () -> problems.add(parameter.line(), where + " has no default: the request must set it ("
                                + parameter.type() + ")"));
                continue;
            }
            Object raw = overrides.get(parameter.name());
            Optional<Object> value = raw == null ? Optional.empty() : parameter.normalise(raw);
            if (value.isEmpty()) {
                problems.add(parameter.line(), where + " is " + article(parameter.type()) + "; the request gave "
                        + describe(raw));
                continue;
            }
            Optional<String> refused = parameter.constraintProblem(value.get());
            if (refused.isPresent()) {
                problems.add(parameter.line(), where + " " + refused.get() + " (from the request)");
                continue;
            }
            values.put(parameter.name(), value.get());
        }
        return values;
    }

    private static String article(ValueType type) {
        return (type == ValueType.INT ? "an " : "a ") + type;
    }

    private static String describe(Object raw) {
        if (raw == null) {
            return "null";
        }
        return raw instanceof String text ? "the string '" + text + "'"
                : ValueType.of(raw).map(type -> type + " " + raw).orElse(raw.getClass().getSimpleName() + " " + raw);
    }
}
