package dev.resnetops.workflows;

import dev.resnetops.workflows.definition.WorkflowDefinition;
import dev.resnetops.workflows.parse.WorkflowParser;
import dev.resnetops.workflows.plan.WorkflowPlan;
import dev.resnetops.workflows.plan.WorkflowPlanner;
import java.util.Map;

/**
 * The entry points for an executor: read a definition, then plan a run of it. Both refuse bad input
 * with {@link InvalidWorkflowException}, listing every problem as {@code file:line: problem}, before
 * anything runs.
 *
 * <pre>{@code
 * WorkflowDefinition definition = WorkflowDefinitions.parse("paper-ablation.yaml", yaml);
 * WorkflowPlan plan = WorkflowDefinitions.plan(definition, Map.of("epochs", 3));
 * }</pre>
 */
public final class WorkflowDefinitions {

    private WorkflowDefinitions() {}

    /**
     * Reads and checks a definition: its shape, step kinds and fields, references to steps and
     * parameters and their types, cycles.
     *
     * @param file the file name the text came from; a {@code .yaml}/{@code .yml} name must match the workflow's name
     */
    public static WorkflowDefinition parse(String file, String yaml) {
        return WorkflowParser.parse(file, yaml);
    }

    /**
     * Binds the definition to a request's parameter overrides and expands it into the run's concrete
     * steps; every training configuration is validated with TrainingConfig's own rules here.
     */
    public static WorkflowPlan plan(WorkflowDefinition definition, Map<String, ?> overrides) {
        return WorkflowPlanner.plan(definition, overrides);
    }

    /**
     * {@link #parse} and, when every parameter has a default, {@link #plan} with the defaults: what
     * loading a shipped definition should do, so a training field out of range fails at start-up
     * rather than at the first request.
     */
    public static WorkflowDefinition check(String file, String yaml) {
        WorkflowDefinition definition = parse(file, yaml);
        if (definition.parameters().stream().allMatch(parameter -> parameter.defaultValue().isPresent())) {
            plan(definition, Map.of());
        }
        return definition;
    }
}
