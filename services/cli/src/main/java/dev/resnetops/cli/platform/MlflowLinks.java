package dev.resnetops.cli.platform;

import dev.resnetops.contracts.api.JobView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Addresses in the MLflow UI for the platform's jobs. */
final class MlflowLinks {

    private MlflowLinks() {}

    /** The compare view of the jobs' runs, or null while a job has no MLflow run yet. */
    static String compareRuns(String mlflowBase, List<JobView> jobs) {
        if (jobs.stream().anyMatch(j -> j.run() == null || j.run().mlflowRunId() == null)) {
            return null;
        }
        String runs = jobs.stream().map(j -> "\"" + j.run().mlflowRunId() + "\"").collect(Collectors.joining(",", "[", "]"));
        String experiments = jobs.stream().map(j -> j.run().mlflowExperimentId()).filter(Objects::nonNull)
                .distinct().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]"));
        return mlflowBase.replaceAll("/+$", "") + "/#/compare-runs?runs=" + URLEncoder.encode(runs, StandardCharsets.UTF_8)
                + "&experiments=" + URLEncoder.encode(experiments, StandardCharsets.UTF_8);
    }
}
