package dev.resnetops.trainer.service;

import dev.resnetops.contracts.api.JobState;
import dev.resnetops.store.datasets.DatasetStore;
import dev.resnetops.store.datasets.JobDataset;
import dev.resnetops.trainer.tracking.TrainingDatasetInputs;
import dev.resnetops.trainer.tracking.TrackingItem;
import dev.resnetops.trainer.tracking.TrackingOutbox;
import dev.resnetops.vision.train.RunStart;
import dev.resnetops.vision.weights.InitReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What MLflow is told about a job's run, queued in the tracking outbox inside the caller's transaction
 * (the one that changes the job's state), for the {@code TrackingRelay} to send: the run with its
 * parameters, provenance tags and dataset inputs at the first claim, the artifacts of a completed run,
 * and how it ended.
 */
@ApplicationScoped
public class RunTracking {

    private static final int MAX_TAG_CHARS = 8000;

    private final TrackingOutbox tracking;
    private final WorkerIdentity worker;
    private final CodeVersion codeVersion;
    private final DatasetStore datasets;

    RunTracking(TrackingOutbox tracking, WorkerIdentity worker, CodeVersion codeVersion, DatasetStore datasets) {
        this.tracking = tracking;
        this.worker = worker;
        this.codeVersion = codeVersion;
        this.datasets = datasets;
    }

    public void startRun(TrainingOrder order, String device) {
        String model = order.config().model();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("resnetops.job_id", order.jobId().toString());
        tags.put("resnetops.dataset_version", order.datasetVersionId().toString());
        tags.put("resnetops.dataset_shards", order.shards().toString());
        tags.put("resnetops.model_preset", model);
        tags.put("resnetops.device", device);
        tags.put("resnetops.worker_host", worker.host());
        tags.put("resnetops.worker", worker.id());
        tags.put("mlflow.source.git.commit", codeVersion.commit());
        tags.put("mlflow.source.name", "resnetops trainer");
        tracking.append(order.jobId(), new TrackingItem.StartRun(order.experiment(),
                model + "-" + order.jobId().toString().substring(0, 8), order.config().toParameters(), tags));
        // The job row names its dataset (a foreign key): a job without one cannot have been claimed.
        JobDataset dataset = datasets.ofJob(order.jobId()).orElseThrow(() -> new IllegalStateException(
                "job " + order.jobId() + " has no row in jobs, yet it was just claimed"));
        tracking.append(order.jobId(), new TrackingItem.Inputs(TrainingDatasetInputs.of(dataset)));
    }

    /**
     * Provenance known only once training starts: where the weights came from (source, what a platform
     * reference resolved to, format, SHA-256, key names, head, every intended difference) and the
     * normalisation chosen for them. Tags rather than params: a resumed run sets them again unchanged.
     */
    public void trainingStarted(UUID jobId, RunStart start) {
        InitReport init = start.init();
        Map<String, String> tags = new LinkedHashMap<>(init.toProperties());
        if (!init.notes().isEmpty()) {
            tags.put("resnetops.init.notes", shortened(String.join("\n", init.notes())));
        }
        tags.put("resnetops.normalization.mean", Arrays.toString(start.preprocessing().mean()));
        tags.put("resnetops.normalization.std", Arrays.toString(start.preprocessing().std()));
        tags.put("resnetops.preprocessing_spec_hash", start.preprocessing().specHash());
        tracking.append(jobId, new TrackingItem.Tags(tags));
    }

    /** MLflow refuses tag values over 8,000 characters; the job's log has the notes whole. */
    private static String shortened(String text) {
        return text.length() <= MAX_TAG_CHARS ? text : text.substring(0, MAX_TAG_CHARS - 40) + "... (the job's log has all)";
    }

    /** @param artifacts local path to artifact folder, as {@link JobFolder#artifacts} lists them */
    public void completed(UUID jobId, Map<String, String> artifacts) {
        tracking.append(jobId, new TrackingItem.Artifacts(artifacts));
        tracking.append(jobId, new TrackingItem.FinishRun("FINISHED", System.currentTimeMillis()));
    }

    /** A run that FAILED or was CANCELLED: MLflow's FAILED or KILLED. */
    public void ended(UUID jobId, JobState state) {
        tracking.append(jobId, new TrackingItem.FinishRun(state == JobState.CANCELLED ? "KILLED" : "FAILED",
                System.currentTimeMillis()));
    }
}
