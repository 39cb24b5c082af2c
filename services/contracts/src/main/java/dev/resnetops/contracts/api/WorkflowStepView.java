package dev.resnetops.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One step of a workflow run.
 *
 * @param key           unique in the run: the step id, {@code id[field=value,...]} for a fan-out point,
 *                      {@code <train>/evaluate} for an evaluation the planner added
 * @param kind          ingest, train, evaluate, export or promote
 * @param origin        the definition step it came from
 * @param attempt       attempts started so far (0 before the first)
 * @param jobId         the training job it started (train) or waits for (evaluate, export); null otherwise
 * @param output        what it recorded for later steps (docs/workflows.md lists them per kind), or null
 * @param error         why the last attempt failed, or why it was skipped; null otherwise
 * @param nextAttemptAt when a failed attempt is retried, or null
 */
public record WorkflowStepView(String key, String kind, String origin, WorkflowStepState state, int attempt,
                               List<String> dependsOn, UUID jobId, JsonNode output, String error,
                               Instant nextAttemptAt, Instant startedAt, Instant finishedAt) {
}
