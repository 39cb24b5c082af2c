package dev.resnetops.tracking;

import java.util.List;
import java.util.Map;

/**
 * A run with its data as {@code runs/get} returns it.
 *
 * @param latestMetrics the last logged value of every metric, by key (the full history is
 *                      {@link MlflowClient#metricHistory})
 * @param datasetInputs the datasets logged as the run's inputs ({@link MlflowClient#logInputs})
 */
public record Run(RunInfo info, Map<String, String> params, Map<String, Metric> latestMetrics,
                  Map<String, String> tags, List<DatasetInput> datasetInputs) {

    public Run {
        datasetInputs = List.copyOf(datasetInputs);
        params = Map.copyOf(params);
        latestMetrics = Map.copyOf(latestMetrics);
        tags = Map.copyOf(tags);
    }
}
