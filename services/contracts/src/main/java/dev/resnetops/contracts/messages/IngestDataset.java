package dev.resnetops.contracts.messages;

import dev.resnetops.contracts.Topics;
import java.time.Instant;
import java.util.UUID;

/**
 * Command: turn the dataset source at {@code source} (a server-side folder or archive) into shards.
 *
 * @param name the user's name for the dataset, also used for the shard folder
 */
public record IngestDataset(int schemaVersion, UUID messageId, Instant occurredAt, UUID datasetId, String name,
                            String source) implements Message {

    public static final String TYPE = "IngestDataset";

    public IngestDataset {
        Fields.version(schemaVersion);
        Fields.required(messageId, "messageId");
        Fields.required(occurredAt, "occurredAt");
        Fields.required(datasetId, "datasetId");
        Fields.requiredText(name, "name");
        Fields.requiredText(source, "source");
    }

    public static IngestDataset of(UUID datasetId, String name, String source) {
        return new IngestDataset(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), datasetId, name, source);
    }

    @Override
    public String key() {
        return datasetId.toString();
    }

    @Override
    public String topic() {
        return Topics.DATASET_COMMANDS;
    }
}
