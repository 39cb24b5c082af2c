package dev.resnetops.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A training job as the API shows it.
 *
 * @param config        the full configuration, defaults filled in
 * @param latestMetrics the last finished epoch's metrics, or null before the first
 * @param run           worker, device, attempt, progress, MLflow run; null before a worker took the job
 */
public record JobView(UUID id, UUID datasetId, UUID datasetVersionId, String model, JobState state,
                      String stateReason, boolean cancelRequested, JsonNode config, String experiment,
                      List<JobStateChange> history, EpochMetricsView latestMetrics, Instant createdAt,
                      Instant updatedAt, JobRun run) {
}
