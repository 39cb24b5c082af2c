package dev.resnetops.cli.platform;

import dev.resnetops.contracts.api.JobView;
import dev.resnetops.tracking.MlflowUiLinks;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The MLflow UI addresses of the platform's jobs, built by the tracking module's {@link MlflowUiLinks} (which
 * says why every link carries the model-training view) from what the API reports about each job's run.
 */
final class MlflowLinks {

    private MlflowLinks() {}

    /** The experiment's table of runs, or null while the job has no MLflow run yet. */
    static String experiment(String mlflowBase, JobView job) {
        if (job.run() == null || job.run().mlflowExperimentId() == null) {
            return null;
        }
        return links(mlflowBase).experiment(job.run().mlflowExperimentId()).toString();
    }

    /** The compare view of the jobs' runs, or null while a job has no MLflow run yet. */
    static String compareRuns(String mlflowBase, List<JobView> jobs) {
        if (jobs.isEmpty() || jobs.stream().anyMatch(j -> j.run() == null || j.run().mlflowRunId() == null)) {
            return null;
        }
        List<String> runs = jobs.stream().map(j -> j.run().mlflowRunId()).toList();
        List<String> experiments = jobs.stream().map(j -> j.run().mlflowExperimentId()).filter(Objects::nonNull)
                .distinct().toList();
        return experiments.isEmpty() ? null : links(mlflowBase).compareRuns(experiments, runs).toString();
    }

    private static MlflowUiLinks links(String mlflowBase) {
        return new MlflowUiLinks(URI.create(mlflowBase.replaceAll("/+$", "")));
    }
}
