package dev.resnetops.contracts.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An ingested, immutable dataset version, identified by its content hash.
 *
 * @param counts      images per split
 * @param classCounts images per split and class name
 * @param mean        per-channel mean of the train split (pixels in [0, 1]); training normalises with it
 */
public record DatasetVersionView(UUID id, String contentHash, String format, List<String> classes,
                                 Map<String, Integer> counts, Map<String, Map<String, Integer>> classCounts,
                                 int channels, int height, int width, List<Double> mean, List<Double> std,
                                 String shardLocation, Instant createdAt) {
}
