package dev.resnetops.evaluator.repository;

import java.util.UUID;

/**
 * What the evaluator needs to know about a finished job, read from the job, its dataset and the
 * dataset version in one query.
 *
 * @param mlflowRunId null until the trainer's tracking relay has created the run (MLflow may be down)
 */
public record JobToEvaluate(UUID jobId, String state, String modelPreset, String experiment, String mlflowRunId,
                            UUID datasetId, String datasetName, UUID datasetVersionId, String datasetContentHash,
                            String shardLocation) {
}
