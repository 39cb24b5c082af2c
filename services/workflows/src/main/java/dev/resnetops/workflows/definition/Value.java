package dev.resnetops.workflows.definition;

/**
 * A value written in a workflow: a literal, a list, or a reference to a parameter
 * ({@code ${params.epochs}}) or to a step's output ({@code ${steps.ingest.dataset}}), or text with
 * parameters in it. Each remembers its line so a type or reference problem can point at it.
 */
public sealed interface Value permits Literal, ListValue, ParameterReference, OutputReference, TextTemplate {

    int line();
}
