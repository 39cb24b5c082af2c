package dev.resnetops.contracts.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A dataset registration as the API shows it.
 *
 * @param version  the ingested version once READY, else null
 * @param problems source files left out of the version (quarantined), each with the reason
 * @param error    why ingestion failed, when FAILED
 */
public record DatasetView(UUID id, String name, String source, DatasetStatus status, String error,
                          DatasetVersionView version, List<Problem> problems, Instant createdAt, Instant updatedAt) {
}
