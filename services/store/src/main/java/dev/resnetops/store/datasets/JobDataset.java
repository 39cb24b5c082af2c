package dev.resnetops.store.datasets;

import java.util.UUID;

/**
 * The dataset a job trains on, as tracking shows it: the registration's name and source, and the version's
 * id, content hash (SHA-256 over its classes and shards, from ingestion's manifest), format and split sizes.
 *
 * @param trainImages images in the train split, or 0 when the version's counts do not name it
 * @param testImages  images in the test split, or 0 likewise
 */
public record JobDataset(String name, String source, UUID versionId, String contentHash, String sourceFormat,
                         int classes, long trainImages, long testImages) {
}
