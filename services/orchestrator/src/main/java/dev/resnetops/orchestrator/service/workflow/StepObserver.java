package dev.resnetops.orchestrator.service.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.orchestrator.config.OrchestratorConfig;
import dev.resnetops.orchestrator.repository.DatasetRepository;
import dev.resnetops.orchestrator.repository.JobRepository;
import dev.resnetops.orchestrator.repository.ModelRepository;
import dev.resnetops.orchestrator.repository.WorkflowStepRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Looks at a RUNNING step's work in the tables the other services write: the job's state (trainer),
 * its test numbers and model version (evaluator), the dataset's status (ingestion). Reads only; the
 * caller records the transition.
 */
@ApplicationScoped
class StepObserver {

    private final JobRepository jobs;
    private final ModelRepository models;
    private final DatasetRepository datasets;
    private final PromotionStep promotion;
    private final Duration evaluationDeadline;

    StepObserver(JobRepository jobs, ModelRepository models, DatasetRepository datasets, PromotionStep promotion,
                 OrchestratorConfig config) {
        this.jobs = jobs;
        this.models = models;
        this.datasets = datasets;
        this.promotion = promotion;
        this.evaluationDeadline = config.workflows().evaluationDeadline();
    }

    StepOutcome observe(WorkflowStepRow step, Map<String, JsonNode> outputs) {
        switch (step.kind()) {
            case TRAIN:
                return training(step.jobId());
            case EVALUATE:
                return jobs.evaluation(step.jobId()).map(e -> StepOutcome.succeeded(object()
                        .put("job", step.jobId().toString()).put("top1", e.top1()).put("top5", e.top5())))
                        .orElseGet(() -> waitForEvaluator(step, "an evaluation"));
            case EXPORT:
                return models.byJob(step.jobId()).map(v -> StepOutcome.succeeded(object().put("model", v.model())
                        .put("version", v.version()).put("onnx", v.onnxLocation())))
                        .orElseGet(() -> waitForEvaluator(step, "a registered ONNX model version"));
            case INGEST:
                return ingestion(UUID.fromString(step.output().path("dataset").asText()));
            case PROMOTE:
                return promotion.decideAndMove(step, outputs);
            default:
                throw new IllegalStateException("step " + step.key() + " has kind " + step.kind() + ", which never runs");
        }
    }

    /** Waiting, until the evaluator has had {@code evaluation-deadline} to write its record. */
    private StepOutcome waitForEvaluator(WorkflowStepRow step, String record) {
        if (step.startedAt() == null || step.startedAt().plus(evaluationDeadline).isAfter(Instant.now())) {
            return StepOutcome.waiting();
        }
        // Not retryable: there is nothing to resubmit, the evaluator picks up completed jobs on its own.
        return StepOutcome.failed("no evaluator recorded " + record + " of job " + step.jobId() + " within "
                + evaluationDeadline.toMinutes() + " min (mlops.workflows.evaluation-deadline); is an evaluator "
                + "running (./mlops status), and does its log name this job?", false);
    }

    private StepOutcome training(UUID jobId) {
        JobView job = jobs.find(jobId).orElseThrow(() -> new IllegalStateException("job " + jobId + " is gone"));
        if (job.state() == JobState.COMPLETED) {
            ObjectNode output = object().put("job", jobId.toString());
            // The trainer names the MLflow run when its tracking relay reaches MLflow; until then it is null.
            output.put("run", job.run() == null ? null : job.run().mlflowRunId());
            return StepOutcome.succeeded(output);
        }
        if (job.state() == JobState.FAILED) {
            return StepOutcome.failed("job " + jobId + " FAILED: " + job.stateReason(), true);
        }
        if (job.state() == JobState.CANCELLED) {
            // Someone cancelled this job on purpose (POST /jobs/{id}/cancel): starting it again would undo that.
            return StepOutcome.failed("job " + jobId + " was cancelled: " + job.stateReason(), false);
        }
        return StepOutcome.waiting();
    }

    private StepOutcome ingestion(UUID datasetId) {
        DatasetView dataset = datasets.find(datasetId)
                .orElseThrow(() -> new IllegalStateException("dataset " + datasetId + " is gone"));
        if (dataset.status() == DatasetStatus.READY) {
            return StepOutcome.succeeded(object().put("dataset", datasetId.toString())
                    .put("version", dataset.version().contentHash()));
        }
        if (dataset.status() == DatasetStatus.FAILED) {
            // Ingesting the same source again finds the same fault: no retry.
            return StepOutcome.failed("ingestion of dataset " + datasetId + " failed: " + dataset.error(), false);
        }
        return StepOutcome.waiting();
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
