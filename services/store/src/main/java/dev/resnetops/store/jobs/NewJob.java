package dev.resnetops.store.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * A job as the orchestrator submits it; it is stored QUEUED.
 *
 * @param config         the full TrainingConfig as JSON, every default filled in
 * @param workflowStepId the workflow step that started it, or null for a job submitted on its own
 */
public record NewJob(UUID id, UUID datasetId, UUID datasetVersionId, String model, JsonNode config,
                     String experiment, UUID workflowStepId) {
}
