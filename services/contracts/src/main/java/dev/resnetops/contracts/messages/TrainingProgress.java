package dev.resnetops.contracts.messages;

import dev.resnetops.contracts.Topics;
import java.time.Instant;
import java.util.UUID;

/**
 * Event: where a running job is, sent every few seconds (not every step) for live views.
 *
 * @param step       optimizer steps done in this epoch
 * @param etaSeconds estimated time until the job's last epoch ends, from the measured throughput
 */
public record TrainingProgress(int schemaVersion, UUID messageId, Instant occurredAt, UUID jobId, int epoch,
                               int epochs, int step, int stepsPerEpoch, double loss, double learningRate,
                               double imagesPerSecond, double etaSeconds) implements Message {

    public static final String TYPE = "TrainingProgress";

    public TrainingProgress {
        Fields.version(schemaVersion);
        Fields.required(messageId, "messageId");
        Fields.required(occurredAt, "occurredAt");
        Fields.required(jobId, "jobId");
    }

    public static TrainingProgress of(UUID jobId, int epoch, int epochs, int step, int stepsPerEpoch, double loss,
                                      double learningRate, double imagesPerSecond, double etaSeconds) {
        return new TrainingProgress(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), jobId, epoch, epochs, step,
                stepsPerEpoch, loss, learningRate, imagesPerSecond, etaSeconds);
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
