package dev.resnetops.workflows.definition;

/** {@code ${params.NAME}}: the parameter's value for this run, with the parameter's type. */
public record ParameterReference(String parameter, int line) implements Value {
}
