package dev.resnetops.cli.platform;

import dev.resnetops.contracts.api.JobView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Addresses in the MLflow UI for the platform's jobs. Each carries {@value #MODEL_TRAINING_VIEW}: MLflow
 * 3.17's UI chooses between its GenAI and model-training views from that parameter, else from the
 * browser's last choice, and a browser that never chose opens experiments on the GenAI traces overview
 * (the tracking module's MlflowUiLinks has the measurement).
 */
final class MlflowLinks {

    static final String MODEL_TRAINING_VIEW = "workflowType=machine_learning";

    private MlflowLinks() {}

    /** The experiment's table of runs, or null while the job has no MLflow run yet. */
    static String experiment(String mlflowBase, JobView job) {
        if (job.run() == null || job.run().mlflowExperimentId() == null) {
            return null;
        }
        return mlflowBase.replaceAll("/+$", "") + "/#/experiments/" + job.run().mlflowExperimentId() + "/runs?"
                + MODEL_TRAINING_VIEW;
    }

    /** The compare view of the jobs' runs, or null while a job has no MLflow run yet. */
    static String compareRuns(String mlflowBase, List<JobView> jobs) {
        if (jobs.stream().anyMatch(j -> j.run() == null || j.run().mlflowRunId() == null)) {
            return null;
        }
        String runs = jobs.stream().map(j -> "\"" + j.run().mlflowRunId() + "\"").collect(Collectors.joining(",", "[", "]"));
        String experiments = jobs.stream().map(j -> j.run().mlflowExperimentId()).filter(Objects::nonNull)
                .distinct().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]"));
        return mlflowBase.replaceAll("/+$", "") + "/#/compare-runs?runs=" + URLEncoder.encode(runs, StandardCharsets.UTF_8)
                + "&experiments=" + URLEncoder.encode(experiments, StandardCharsets.UTF_8) + "&" + MODEL_TRAINING_VIEW;
    }
}
