package dev.resnetops.contracts.messages;

import dev.resnetops.contracts.Topics;
import java.time.Instant;
import java.util.UUID;

/**
 * Event: an epoch of job {@code jobId} finished and its checkpoint is written. Validation metrics are on
 * the dataset's test split (null when the job evaluates only at the end).
 */
public record EpochCompleted(int schemaVersion, UUID messageId, Instant occurredAt, UUID jobId, int epoch,
                             double trainLoss, double learningRate, Double valTop1, Double valTop5, Double valLoss,
                             double imagesPerSecond, double epochSeconds) implements Message {

    public static final String TYPE = "EpochCompleted";

    public EpochCompleted {
        Fields.version(schemaVersion);
        Fields.required(messageId, "messageId");
        Fields.required(occurredAt, "occurredAt");
        Fields.required(jobId, "jobId");
    }

    public static EpochCompleted of(UUID jobId, int epoch, double trainLoss, double learningRate, Double valTop1,
                                    Double valTop5, Double valLoss, double imagesPerSecond, double epochSeconds) {
        return new EpochCompleted(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), jobId, epoch, trainLoss,
                learningRate, valTop1, valTop5, valLoss, imagesPerSecond, epochSeconds);
    }

    @Override
    public String key() {
        return jobId.toString();
    }

    @Override
    public String topic() {
        return Topics.TRAINING_EVENTS;
    }
}
