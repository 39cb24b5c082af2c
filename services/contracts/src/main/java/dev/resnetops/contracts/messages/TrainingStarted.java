package dev.resnetops.contracts.messages;

import dev.resnetops.contracts.Topics;
import java.time.Instant;
import java.util.UUID;

/**
 * Event: a worker took job {@code jobId} and is training it.
 *
 * @param attempt          1 for the first start, higher when the job resumes after its worker died
 * @param device           where it trains, e.g. "cpu" or "gpu(0)"
 * @param resumedFromEpoch the last epoch already completed by an earlier attempt (0 = fresh start)
 */
public record TrainingStarted(int schemaVersion, UUID messageId, Instant occurredAt, UUID jobId, int attempt,
                              String worker, String device, int resumedFromEpoch, int epochs) implements Message {

    public static final String TYPE = "TrainingStarted";

    public TrainingStarted {
        Fields.version(schemaVersion);
        Fields.required(messageId, "messageId");
        Fields.required(occurredAt, "occurredAt");
        Fields.required(jobId, "jobId");
        Fields.requiredText(worker, "worker");
        Fields.requiredText(device, "device");
    }

    public static TrainingStarted of(UUID jobId, int attempt, String worker, String device, int resumedFromEpoch,
                                     int epochs) {
        return new TrainingStarted(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), jobId, attempt, worker, device,
                resumedFromEpoch, epochs);
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
