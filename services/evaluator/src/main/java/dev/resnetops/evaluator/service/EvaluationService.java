package dev.resnetops.evaluator.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.contracts.messages.ModelAliasMoved;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.evaluator.config.EvaluatorConfig;
import dev.resnetops.evaluator.repository.EvaluationStore;
import dev.resnetops.evaluator.repository.JobEvaluation;
import dev.resnetops.evaluator.repository.JobToEvaluate;
import dev.resnetops.messaging.Inbox;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.jobs.JobStore;
import dev.resnetops.store.models.ModelStore;
import dev.resnetops.store.models.NewModelVersion;
import dev.resnetops.tracking.MlflowAccessDeniedException;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.MlflowException;
import dev.resnetops.tracking.MlflowUnavailableException;
import dev.resnetops.vision.eval.ClassAccuracy;
import dev.resnetops.vision.eval.EvaluationReportWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Evaluates the checkpoint of a COMPLETED job once: test-set report and gated ONNX export on this
 * machine, metrics/artifacts/model version in MLflow, then one PostgreSQL transaction with the model
 * version, its alias, the job's evaluation, the {@link ModelAliasMoved} outbox message and the inbox row.
 *
 * <p>Re-processing is safe at every point: a job that has a model version row is skipped, MLflow
 * steps are idempotent ({@link ModelRegistration}), and the local work of an attempt that failed on
 * MLflow is kept in memory for the retry instead of being computed again.
 */
@ApplicationScoped
public class EvaluationService {

    public static final String CONSUMER = "evaluator";

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EvaluationStore store;
    private final JobStore jobs;
    private final ModelStore models;
    private final LocalEvaluation local;
    private final ModelRegistration registration;
    private final Inbox inbox;
    private final OutboxWriter outbox;
    private final MeterRegistry metrics;
    private final MlflowClient mlflow;
    private final Duration mlflowRunWait;

    /** The local work of the event being retried (one at a time: the loop handles one event at once). */
    private volatile LocalResult lastLocal;

    EvaluationService(EvaluationStore store, JobStore jobs, ModelStore models, LocalEvaluation local,
                      ModelRegistration registration, Inbox inbox, OutboxWriter outbox, MeterRegistry metrics,
                      MlflowClient mlflow, EvaluatorConfig config) {
        this.store = store;
        this.jobs = jobs;
        this.models = models;
        this.local = local;
        this.registration = registration;
        this.inbox = inbox;
        this.outbox = outbox;
        this.metrics = metrics;
        this.mlflow = mlflow;
        this.mlflowRunWait = config.retry().mlflowRunWait();
    }

    public Outcome process(TrainingFinished event) {
        UUID jobId = event.jobId();
        try {
            return evaluate(event);
        } catch (UnusableInputException e) {
            LOG.errorf("job %s: not evaluated, skipping the event: %s", jobId, e.getMessage());
            count("unusable");
            return Outcome.done("unusable input");
        } catch (MlflowUnavailableException e) {
            return Outcome.retry("MLflow is unavailable: " + e.getMessage());
        } catch (MlflowAccessDeniedException e) {
            // The evaluator's own credentials or grants, not this job: skipping would lose every job's
            // evaluation until an operator notices, so the event waits until the account is fixed.
            LOG.errorf("job %s: MLflow refused the evaluator's account; the event waits until it is fixed: %s",
                    jobId, e.getMessage());
            return Outcome.retry("MLflow refused the evaluator's account: " + e.getMessage());
        } catch (MlflowException e) {
            if (e.httpStatus() >= 500) {
                return Outcome.retry("MLflow failed: " + e.getMessage());
            }
            // A refusal (deleted run, invalid name) comes back the same on every retry.
            LOG.errorf("job %s: not evaluated, MLflow refused a request: %s", jobId, e.getMessage());
            count("refused");
            return Outcome.done("MLflow refused");
        } catch (RuntimeException e) {
            if (hasCause(e, SQLException.class)) {
                return Outcome.retry("PostgreSQL: " + e.getMessage());
            }
            LOG.errorf(e, "job %s: evaluation failed, skipping the event", jobId);
            count("failed");
            return Outcome.done("failed: " + e.getMessage());
        }
    }

    private Outcome evaluate(TrainingFinished event) {
        UUID jobId = event.jobId();
        if (inbox.alreadyProcessed(CONSUMER, event.messageId())) {
            return Outcome.done("duplicate message " + event.messageId());
        }
        Optional<JobToEvaluate> found = store.job(jobId);
        if (found.isEmpty()) {
            throw new UnusableInputException("job " + jobId + " does not exist in the database");
        }
        JobToEvaluate job = found.get();
        Optional<String> recorded = store.modelVersionOf(jobId);
        if (recorded.isPresent()) {
            LOG.infof("job %s: already evaluated and registered as %s; event %s changes nothing", jobId,
                    recorded.get(), event.messageId());
            QuarkusTransaction.requiringNew().run(() -> inbox.markProcessed(CONSUMER, event.messageId()));
            count("duplicate");
            return Outcome.done("already evaluated");
        }
        String runId = job.mlflowRunId() != null ? job.mlflowRunId() : event.mlflowRunId();
        if (runId == null) {
            // The trainer's tracking relay creates the run when MLflow is reachable; the test metrics
            // belong on that run, so wait for it rather than start a second one.
            Duration waited = Duration.between(event.occurredAt(), Instant.now());
            if (waited.compareTo(mlflowRunWait) < 0) {
                return Outcome.retry("job " + jobId + " has no MLflow run yet (the trainer's tracking relay creates it)");
            }
            // Throws MlflowUnavailableException while MLflow is down: then the relay cannot have created the
            // run either, and the event keeps waiting. Answering means the relay had its chance.
            mlflow.searchRuns(List.of("0"), "", 1);
            throw new UnusableInputException("job " + jobId + " still has no MLflow run " + waited.toMinutes()
                    + " min after it completed while MLflow answers (its trainer's tracking relay never created"
                    + " one); skipped so that later jobs are evaluated (mlops.evaluator.retry.mlflow-run-wait)");
        }

        LocalResult result = lastLocal;
        if (result == null || !result.checkpointLocation().equals(event.checkpointLocation())
                || !Files.isRegularFile(result.onnxFile()) || !Files.isDirectory(result.reportDir())) {
            lastLocal = null;
            LOG.infof("job %s: evaluating %s on the test split of dataset '%s'", jobId, event.checkpointLocation(),
                    job.datasetName());
            result = local.run(jobId, event.checkpointLocation(), job.shardLocation());
            lastLocal = result;
        }
        RegisteredVersion version = registration.register(job, runId, result);
        LocalResult done = result;
        boolean recordedNow = QuarkusTransaction.requiringNew().call(() -> record(event, job, done, version));
        lastLocal = null;
        count(recordedNow ? "registered" : "duplicate");
        return Outcome.done(recordedNow ? "registered " + version.registeredModel() + " v" + version.version()
                : "recorded concurrently by another instance");
    }

    /** One transaction; false when another instance recorded the job first (then nothing is written). */
    private boolean record(TrainingFinished event, JobToEvaluate job, LocalResult result, RegisteredVersion version) {
        // Two instances that got the same job (a rebalance mid-evaluation) record it one after the other,
        // and the second sees the first's model version.
        jobs.lock(job.jobId());
        if (store.modelVersionOf(job.jobId()).isPresent() || !inbox.markProcessed(CONSUMER, event.messageId())) {
            QuarkusTransaction.setRollbackOnly();
            return false;
        }
        UUID rowId = UUID.randomUUID();
        boolean passed = result.parity().passed();
        models.insertVersion(new NewModelVersion(rowId, version.registeredModel(), version.version(),
                job.jobId(), job.datasetVersionId(), result.onnxFile().toString(), result.onnxSha256(),
                result.onnxSizeBytes(), result.checkpointSha256(), passed, result.parity().toJson(), result.report().top1(),
                result.report().top5()));
        store.saveEvaluation(new JobEvaluation(job.jobId(), result.report().top1(), result.report().top5(),
                result.report().topK(), result.report().loss(), perClassJson(result),
                result.confusionMatrixPng().toString(),
                result.reportDir().resolve(EvaluationReportWriter.METRICS_JSON).toString(), result.report().count()));
        if (passed) {
            models.moveAlias(version.registeredModel(), ModelRegistration.CANDIDATE, version.version());
            outbox.append(ModelAliasMoved.of(version.registeredModel(), ModelRegistration.CANDIDATE, version.version(),
                    job.jobId(), result.onnxFile().toString(), result.onnxSha256()));
        }
        return true;
    }

    private static String perClassJson(LocalResult result) {
        ArrayNode array = JSON.createArrayNode();
        for (ClassAccuracy c : result.report().perClass()) {
            ObjectNode node = array.addObject();
            node.put("class", result.classes().get(c.index()));
            node.put("support", c.support());
            node.put("correct", c.correct());
            node.put("accuracy", c.accuracy());
            node.put("precision", c.precision());
            node.put("recall", c.recall());
        }
        return array.toString();
    }

    private void count(String outcome) {
        metrics.counter("evaluator.events", "outcome", outcome).increment();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
