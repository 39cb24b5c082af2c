package dev.resnetops.contracts.messages;

import dev.resnetops.contracts.Topics;
import java.time.Instant;
import java.util.UUID;

/** Event: a dataset source could not be ingested at all; {@code reason} says why and what to do. */
public record DatasetFailed(int schemaVersion, UUID messageId, Instant occurredAt, UUID datasetId, String reason)
        implements Message {

    public static final String TYPE = "DatasetFailed";

    public DatasetFailed {
        Fields.version(schemaVersion);
        Fields.required(messageId, "messageId");
        Fields.required(occurredAt, "occurredAt");
        Fields.required(datasetId, "datasetId");
        Fields.requiredText(reason, "reason");
    }

    public static DatasetFailed of(UUID datasetId, String reason) {
        return new DatasetFailed(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), datasetId, reason);
    }

    @Override
    public String key() {
        return datasetId.toString();
    }

    @Override
    public String topic() {
        return Topics.DATASET_EVENTS;
    }
}
