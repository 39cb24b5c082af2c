package dev.resnetops.contracts.messages;

import dev.resnetops.contracts.Topics;
import java.time.Instant;
import java.util.UUID;

/** Command: stop job {@code jobId} at the next training step; {@code reason} ends up in its history. */
public record CancelTraining(int schemaVersion, UUID messageId, Instant occurredAt, UUID jobId, String reason)
        implements Message {

    public static final String TYPE = "CancelTraining";

    public CancelTraining {
        Fields.version(schemaVersion);
        Fields.required(messageId, "messageId");
        Fields.required(occurredAt, "occurredAt");
        Fields.required(jobId, "jobId");
        Fields.requiredText(reason, "reason");
    }

    public static CancelTraining of(UUID jobId, String reason) {
        return new CancelTraining(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), jobId, reason);
    }

    @Override
    public String key() {
        return jobId.toString();
    }

    @Override
    public String topic() {
        return Topics.TRAINING_CONTROL;
    }
}
