package dev.resnetops.store.datasets;

import dev.resnetops.contracts.api.Problem;
import java.util.List;
import java.util.Map;

/**
 * A {@code dataset_versions} row to insert: everything a trainer needs to know about the shards
 * without opening them.
 *
 * @param classCounts images per split and class name, e.g. {"train": {"T-shirt/top": 6000, ...}}
 * @param quarantine  source records the import left out, with the reason
 */
public record NewDatasetVersion(String contentHash, String sourceFormat, List<String> classes,
                                Map<String, Integer> counts, Map<String, Map<String, Integer>> classCounts,
                                int channels, int height, int width, List<Double> mean, List<Double> std,
                                String shardLocation, List<Problem> quarantine) {
}
