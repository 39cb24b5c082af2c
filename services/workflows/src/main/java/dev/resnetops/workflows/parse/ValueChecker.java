package dev.resnetops.workflows.parse;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.ListValue;
import dev.resnetops.workflows.definition.Literal;
import dev.resnetops.workflows.definition.OutputReference;
import dev.resnetops.workflows.definition.ParameterDefinition;
import dev.resnetops.workflows.definition.ParameterReference;
import dev.resnetops.workflows.definition.StepDefinition;
import dev.resnetops.workflows.definition.StepKind;
import dev.resnetops.workflows.definition.TextTemplate;
import dev.resnetops.workflows.definition.Value;
import dev.resnetops.workflows.definition.ValueSite;
import dev.resnetops.workflows.definition.ValueType;
import dev.resnetops.workflows.definition.WorkflowDefinition;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one value against what its field needs: the parameters and step outputs it names exist, and
 * its type (written out, or the parameter's or output's declared type) fits the field's.
 */
final class ValueChecker {

    private final Problems problems;
    private final WorkflowDefinition definition;
    private final Map<String, StepDefinition> steps;
    private final Set<String> unparsed;

    ValueChecker(Problems problems, WorkflowDefinition definition, Map<String, StepDefinition> steps, Set<String> unparsed) {
        this.problems = problems;
        this.definition = definition;
        this.steps = steps;
        this.unparsed = unparsed;
    }

    /** @param from the step the value belongs to, or null outside steps */
    void check(ValueSite site, String where, StepDefinition from) {
        String what = where + ": " + site.field();
        Value value = site.value();
        if (site.expected() == ValueType.NUMBER_LIST) {
            if (value instanceof ListValue list) {
                list.items().forEach(item -> check(new ValueSite(site.field(), item, ValueType.NUMBER, false), where, from));
            } else {
                problems.add(value.line(), what + " must be a list of numbers, found " + describe(value));
            }
            return;
        }
        typeOf(value, site, what, from).ifPresent(actual -> {
            if (!site.expected().accepts(actual)) {
                problems.add(value.line(), what + " must be " + ParameterParser.article(site.expected())
                        + ", found " + describe(value) + (isReference(value) ? " (" + ParameterParser.article(actual) + ")" : ""));
            }
        });
    }

    /** The value's type, or empty when it is broken in a way already reported. */
    private Optional<ValueType> typeOf(Value value, ValueSite site, String what, StepDefinition from) {
        if (value instanceof Literal literal) {
            return Optional.of(literal.type());
        }
        if (value instanceof ListValue) {
            return Optional.of(ValueType.NUMBER_LIST);
        }
        if (value instanceof ParameterReference reference) {
            return parameter(reference, what).map(ParameterDefinition::type);
        }
        if (value instanceof OutputReference reference) {
            return output(reference, site, what, from);
        }
        if (value instanceof TextTemplate template) {
            template.parts().stream().filter(part -> part instanceof ParameterReference)
                    .forEach(part -> parameter((ParameterReference) part, what));
            return Optional.of(ValueType.STRING);
        }
        throw new IllegalStateException("unknown value " + value);
    }

    private Optional<ParameterDefinition> parameter(ParameterReference reference, String what) {
        Optional<ParameterDefinition> parameter = definition.parameter(reference.parameter());
        if (parameter.isEmpty()) {
            problems.add(reference.line(), what + ": ${params." + reference.parameter() + "} names no parameter"
                    + (definition.parameters().isEmpty() ? " (the workflow declares none under 'parameters:')"
                    : " (parameters: " + String.join(", ", definition.parameters().stream()
                    .map(ParameterDefinition::name).toList()) + ")"));
        }
        return parameter;
    }

    private Optional<ValueType> output(OutputReference reference, ValueSite site, String what, StepDefinition from) {
        if (!site.outputsAllowed()) {
            problems.add(reference.line(), what + ": " + reference.text() + " cannot be used here: step outputs are"
                    + " known only at run time, and this value must be known at submission (use a parameter)");
            return Optional.empty();
        }
        if (unparsed.contains(reference.step())) {
            return Optional.empty();
        }
        StepDefinition target = steps.get(reference.step());
        if (target == null) {
            problems.add(reference.line(), what + ": " + reference.text() + " names no step (steps: "
                    + String.join(", ", steps.keySet()) + ")");
            return Optional.empty();
        }
        if (from != null && target.id().equals(from.id())) {
            problems.add(reference.line(), what + ": " + reference.text() + ": a step cannot read its own outputs");
            return Optional.empty();
        }
        ValueType type = target.kind().outputs().get(reference.output());
        if (type == null) {
            problems.add(reference.line(), what + ": " + reference.text() + ": " + DefinitionChecker.article(target.kind()) + " step has "
                    + outputsOf(target.kind()));
            return Optional.empty();
        }
        return Optional.of(type);
    }

    private static String outputsOf(StepKind kind) {
        return kind.outputs().isEmpty() ? "no outputs (name one of its candidates or rows instead)"
                : "the outputs " + String.join(", ", kind.outputs().keySet());
    }

    private static boolean isReference(Value value) {
        return value instanceof ParameterReference || value instanceof OutputReference;
    }

    private static String describe(Value value) {
        if (value instanceof Literal literal) {
            return literal.value() instanceof String text ? "string '" + text + "'" : literal.type() + " " + literal.value();
        }
        if (value instanceof ParameterReference reference) {
            return "${params." + reference.parameter() + "}";
        }
        if (value instanceof OutputReference reference) {
            return reference.text();
        }
        return value instanceof ListValue ? "a list" : "text";
    }
}
