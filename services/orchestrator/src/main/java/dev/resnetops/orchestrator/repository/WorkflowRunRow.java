package dev.resnetops.orchestrator.repository;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.contracts.api.WorkflowRunState;
import java.time.Instant;
import java.util.UUID;

/** A {@code workflow_runs} row without its definition text (only planning needs that). */
public record WorkflowRunRow(UUID id, String workflow, WorkflowRunState state, String stateReason, JsonNode parameters,
                             JsonNode plan, Integer maxParallel, JsonNode result, String mlflowParentRunId,
                             String mlflowExperimentId, Instant createdAt, Instant updatedAt, Instant finishedAt) {
}
