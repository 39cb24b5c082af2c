package dev.resnetops.store.datasets;

import java.util.UUID;

/** An existing {@code dataset_versions} row: its id and where its shards are. */
public record StoredVersion(UUID id, String shardLocation) {
}
