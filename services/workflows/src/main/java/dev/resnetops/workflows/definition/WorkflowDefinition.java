package dev.resnetops.workflows.definition;

import java.util.List;
import java.util.Optional;

/**
 * A parsed and checked workflow: parameters, steps and result table as typed values that still hold
 * their references ({@code ${params...}}, {@code ${steps...}}) and source lines. A plan binds it to a
 * request's parameters.
 *
 * @param file           the file it came from, for problems found later (at planning)
 * @param parametersLine line of {@code parameters:} (or 1): where a request's unknown parameter points
 */
public record WorkflowDefinition(String file, String name, String description, List<ParameterDefinition> parameters,
                                 int parametersLine, Limits limits, List<StepDefinition> steps,
                                 Optional<ResultDefinition> result) {

    public WorkflowDefinition {
        parameters = List.copyOf(parameters);
        steps = List.copyOf(steps);
    }

    public Optional<ParameterDefinition> parameter(String name) {
        return parameters.stream().filter(parameter -> parameter.name().equals(name)).findFirst();
    }

    public Optional<StepDefinition> step(String id) {
        return steps.stream().filter(step -> step.id().equals(id)).findFirst();
    }
}
