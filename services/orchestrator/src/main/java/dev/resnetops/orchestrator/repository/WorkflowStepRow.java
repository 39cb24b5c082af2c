package dev.resnetops.orchestrator.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.contracts.api.WorkflowStepState;
import dev.resnetops.contracts.api.WorkflowStepView;
import dev.resnetops.workflows.definition.StepKind;
import dev.resnetops.workflows.plan.PlannedStep;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A {@code workflow_steps} row: a planned step with where its execution stands. */
public record WorkflowStepRow(UUID id, UUID runId, String key, StepKind kind, String origin, List<String> dependsOn,
                              ObjectNode inputs, WorkflowStepState state, int attempt, Instant nextAttemptAt,
                              UUID jobId, JsonNode output, String error, Instant startedAt, Instant finishedAt) {

    /** The step as planned, for {@link PlannedStep#inputsWith} to fill in the outputs it reads. */
    public PlannedStep planned() {
        return new PlannedStep(key, kind, dependsOn, inputs, origin);
    }

    public WorkflowStepView view() {
        return new WorkflowStepView(key, kind.key(), origin, state, attempt, dependsOn, jobId, output, error,
                nextAttemptAt, startedAt, finishedAt);
    }
}
