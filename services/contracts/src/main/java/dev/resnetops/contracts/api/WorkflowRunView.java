package dev.resnetops.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A workflow run as the API shows it.
 *
 * @param parameters     every parameter's value for this run, defaults included
 * @param steps          in dependency order; empty in listings (GET /workflows/runs/{id} has them)
 * @param result         the result table once the run has ended (rows with their columns and the
 *                       differences to the baseline, as fractions), or null
 * @param resultMarkdown the same table in Markdown, in percent, or null
 */
public record WorkflowRunView(UUID id, String workflow, WorkflowRunState state, String stateReason,
                              JsonNode parameters, List<WorkflowStepView> steps, JsonNode result,
                              String resultMarkdown, String mlflowParentRunId, Instant createdAt,
                              Instant updatedAt, Instant finishedAt) {
}
