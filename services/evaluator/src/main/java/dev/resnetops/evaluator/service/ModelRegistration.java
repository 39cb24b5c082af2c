package dev.resnetops.evaluator.service;

import dev.resnetops.evaluator.repository.JobToEvaluate;
import dev.resnetops.store.models.ModelAliasRule;
import dev.resnetops.tracking.Metric;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.ModelVersion;
import dev.resnetops.tracking.Run;
import dev.resnetops.tracking.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The MLflow half of an evaluation: test metrics and artifacts on the job's run, then a version of the
 * dataset's registered model with the alias {@value #CANDIDATE} when the ONNX export passed the parity
 * gate. Every step can be repeated after a crash or an MLflow outage without leaving a duplicate:
 * artifacts overwrite, metrics are logged only if the run does not have them at that step yet, and a
 * version tagged with the job is reused instead of registering a second one.
 */
@ApplicationScoped
public class ModelRegistration {

    public static final String CANDIDATE = ModelAliasRule.CANDIDATE;
    public static final String TAG_JOB_ID = "resnetops.job_id";
    public static final String TAG_PARITY = "resnetops.parity";
    /** Which engine computed the test metrics; absent on versions evaluated on DJL, before ONNX Runtime. */
    public static final String TAG_EVALUATION_ENGINE = "resnetops.evaluation_engine";
    /** The file the test metrics are of: {@code model.onnx}, or {@code model.rejected.onnx} after a failed gate. */
    public static final String TAG_EVALUATED_FILE = "resnetops.evaluated_file";

    private static final Logger LOG = Logger.getLogger(ModelRegistration.class);
    private static final String MODEL_PREFIX = "resnetops-";

    private final MlflowClient mlflow;

    ModelRegistration(MlflowClient mlflow) {
        this.mlflow = mlflow;
    }

    /**
     * The registered model of a dataset: {@code resnetops-<dataset name>}, lower case, with anything but
     * letters, digits, '.', '_' and '-' replaced, so the name is safe in MLflow filters and UI URLs.
     */
    public static String registeredModelName(String datasetName) {
        String cleaned = datasetName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-")
                .replaceAll("^[-.]+|[-.]+$", "");
        if (cleaned.isEmpty()) {
            cleaned = "dataset";
        }
        return MODEL_PREFIX + (cleaned.length() > 200 ? cleaned.substring(0, 200) : cleaned);
    }

    /** @throws dev.resnetops.tracking.MlflowUnavailableException MLflow is down: try again later */
    public RegisteredVersion register(JobToEvaluate job, String runId, LocalResult local) {
        Run run = mlflow.getRun(runId);
        logTestMetrics(runId, run, local);
        mlflow.uploadDirectory(run.info(), local.reportDir(), "evaluation");
        mlflow.uploadArtifact(run.info(), local.onnxFile(), "model");
        mlflow.uploadArtifact(run.info(), local.parityFile(), "model");

        String name = registeredModelName(job.datasetName());
        mlflow.createRegisteredModel(name, Map.of("resnetops.dataset_id", job.datasetId().toString()),
                "ResNet classifiers trained on dataset '" + job.datasetName() + "' (resnetops)");
        Optional<ModelVersion> existing = versionOfJob(name, job);
        ModelVersion version;
        boolean reused = existing.isPresent();
        if (reused) {
            version = existing.get();
            LOG.infof("job %s: reusing %s version %s registered by an earlier attempt", job.jobId(), name,
                    version.version());
        } else {
            version = mlflow.createModelVersion(name, run.info().artifactSource("model"), runId, tags(job, runId, local),
                    local.preset() + " trained by job " + job.jobId());
        }
        if (local.parity().passed()) {
            mlflow.setAlias(name, CANDIDATE, version.version());
        }
        LOG.infof("job %s: registered %s version %s%s (%s)", job.jobId(), name, version.version(),
                local.parity().passed() ? ", alias " + CANDIDATE : " without an alias (parity failed)",
                mlflow.modelVersionUrl(name, version.version()));
        return new RegisteredVersion(name, Integer.parseInt(version.version()), reused);
    }

    private void logTestMetrics(String runId, Run run, LocalResult local) {
        Metric logged = run.latestMetrics().get("test_top1");
        if (logged != null && logged.step() == local.epochs()) {
            return; // an earlier attempt got this far: metric points are append-only, a second one would duplicate
        }
        long now = System.currentTimeMillis();
        mlflow.logBatch(runId, List.of(
                new Metric("test_top1", local.report().top1(), now, local.epochs()),
                new Metric("test_top5", local.report().top5(), now, local.epochs()),
                new Metric("test_loss", local.report().loss(), now, local.epochs())), List.of(), runTags(local));
    }

    /**
     * The same labels on the run as on the version, so that the runs table tells ONNX Runtime evaluations from
     * the earlier DJL ones. Tags rather than params: a param cannot change once logged.
     */
    private static List<Tag> runTags(LocalResult local) {
        return evaluationTags(local).entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
    }

    /** Which engine evaluated which file: the version's numbers are of that file, run by that engine. */
    private static Map<String, String> evaluationTags(LocalResult local) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_EVALUATION_ENGINE, local.engine().name());
        tags.put("resnetops.evaluation_provider", local.engine().provider());
        tags.put("resnetops.evaluation_threads", Integer.toString(local.engine().threads()));
        tags.put("resnetops.evaluation_concurrent_batches", Integer.toString(local.engine().concurrentBatches()));
        tags.put(TAG_EVALUATED_FILE, local.evaluatedFile());
        return tags;
    }

    private Optional<ModelVersion> versionOfJob(String name, JobToEvaluate job) {
        // Backticks: the tag key contains a dot, which MLflow's filter grammar would read as a path.
        return mlflow.searchModelVersions("name = '" + name + "' and tags.`" + TAG_JOB_ID + "` = '" + job.jobId() + "'")
                .stream().min(Comparator.comparingInt(v -> Integer.parseInt(v.version())));
    }

    private static Map<String, String> tags(JobToEvaluate job, String runId, LocalResult local) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_JOB_ID, job.jobId().toString());
        tags.put("resnetops.run_id", runId);
        tags.put("resnetops.dataset_version_id", job.datasetVersionId().toString());
        tags.put("resnetops.dataset_hash", job.datasetContentHash());
        tags.put("resnetops.model_preset", local.preset());
        tags.put(TAG_PARITY, local.parity().passed() ? "passed" : "failed");
        tags.put("resnetops.parity_max_abs_diff", Float.toString(local.parity().maxAbsLogitDiff()));
        tags.put("resnetops.onnx_sha256", local.onnxSha256());
        tags.put("resnetops.checkpoint_sha256", local.checkpointSha256());
        tags.put("resnetops.test_top1", Double.toString(local.report().top1()));
        tags.put("resnetops.test_top5", Double.toString(local.report().top5()));
        tags.put("resnetops.test_images", Long.toString(local.report().count()));
        tags.putAll(evaluationTags(local));
        // Where training started: the torchvision/timm file, or the version or job it continued from.
        tags.putAll(local.init().toProperties());
        return tags;
    }
}
