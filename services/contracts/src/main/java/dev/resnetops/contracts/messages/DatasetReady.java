package dev.resnetops.contracts.messages;

import dev.resnetops.contracts.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Event: a dataset registration finished ingesting and points at a version. Two registrations of the
 * same content share one version (same content hash).
 *
 * @param counts      images per split ("train", "test")
 * @param quarantined source records left out, with reasons in the dataset's problem list
 */
public record DatasetReady(int schemaVersion, UUID messageId, Instant occurredAt, UUID datasetId, UUID versionId,
                           String contentHash, String shardLocation, List<String> classes,
                           Map<String, Integer> counts, int quarantined) implements Message {

    public static final String TYPE = "DatasetReady";

    public DatasetReady {
        Fields.version(schemaVersion);
        Fields.required(messageId, "messageId");
        Fields.required(occurredAt, "occurredAt");
        Fields.required(datasetId, "datasetId");
        Fields.required(versionId, "versionId");
        Fields.requiredText(contentHash, "contentHash");
        Fields.requiredText(shardLocation, "shardLocation");
        classes = List.copyOf(Fields.required(classes, "classes"));
        counts = Map.copyOf(Fields.required(counts, "counts"));
    }

    public static DatasetReady of(UUID datasetId, UUID versionId, String contentHash, String shardLocation,
                                  List<String> classes, Map<String, Integer> counts, int quarantined) {
        return new DatasetReady(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), datasetId, versionId, contentHash,
                shardLocation, classes, counts, quarantined);
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
