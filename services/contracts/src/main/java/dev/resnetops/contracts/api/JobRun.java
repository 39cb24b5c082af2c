package dev.resnetops.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where and how a job runs or ran: its worker, device and attempt, its latest progress (epoch, step,
 * img/s, ETA), its MLflow run, and its checkpoint once finished.
 */
public record JobRun(String worker, String device, int attempt, JsonNode progress, String mlflowExperimentId,
                     String mlflowRunId, String checkpointLocation) {
}
