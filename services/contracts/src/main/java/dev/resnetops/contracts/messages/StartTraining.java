package dev.resnetops.contracts.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.contracts.Topics;
import java.time.Instant;
import java.util.UUID;

/**
 * Command: train job {@code jobId}. A redelivered command (same job) resumes from the job's last
 * checkpoint rather than starting over.
 *
 * @param config     the job's training configuration in the JSON form of the vision library's
 *                   {@code TrainingConfigCodec}, already validated by the orchestrator. Kept as a JSON
 *                   tree so this module, read by every service, does not depend on the ML library.
 * @param experiment the MLflow experiment the run belongs to
 */
public record StartTraining(int schemaVersion, UUID messageId, Instant occurredAt, UUID jobId, UUID datasetVersionId,
                            String shardLocation, JsonNode config, String experiment) implements Message {

    public static final String TYPE = "StartTraining";

    public StartTraining {
        Fields.version(schemaVersion);
        Fields.required(messageId, "messageId");
        Fields.required(occurredAt, "occurredAt");
        Fields.required(jobId, "jobId");
        Fields.required(datasetVersionId, "datasetVersionId");
        Fields.requiredText(shardLocation, "shardLocation");
        Fields.required(config, "config");
        Fields.requiredText(experiment, "experiment");
    }

    public static StartTraining of(UUID jobId, UUID datasetVersionId, String shardLocation, JsonNode config,
                                   String experiment) {
        return new StartTraining(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), jobId, datasetVersionId,
                shardLocation, config, experiment);
    }

    @Override
    public String key() {
        return jobId.toString();
    }

    @Override
    public String topic() {
        return Topics.TRAINING_COMMANDS;
    }
}
