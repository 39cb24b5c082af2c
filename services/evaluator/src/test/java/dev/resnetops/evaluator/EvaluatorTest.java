package dev.resnetops.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.ModelAliasMoved;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.evaluator.messaging.TrainingEventsLoop;
import dev.resnetops.evaluator.service.ModelRegistration;
import dev.resnetops.testsupport.TopicProbe;
import dev.resnetops.tracking.ArtifactEntry;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.ModelVersion;
import dev.resnetops.tracking.Run;
import dev.resnetops.vision.data.Sha256;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The evaluator on the real broker, database and MLflow server, evaluating a really trained (tiny) model. */
@QuarkusTest
class EvaluatorTest {

    private static final Path ROOT = Path.of("target/test-data").toAbsolutePath();
    private static final Path JOBS = ROOT.resolve("jobs");
    private static final Duration EVALUATION_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EvaluationFixtures.Dataset dataset;
    private static EvaluationFixtures.Trained trained;

    @Inject
    AgroalDataSource db;

    @Inject
    MlflowClient mlflow;

    @Inject
    TrainingEventsLoop loop;

    @BeforeEach
    void fixtures() throws Exception {
        if (dataset == null) {
            dataset = EvaluationFixtures.stripesDataset(db, ROOT);
            trained = EvaluationFixtures.train(dataset, ROOT);
        }
        // The test group starts at the end of the topic: publish only once it knows where that is.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (loop.assignedPartitions().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(loop.assignedPartitions()).as("partitions assigned to the evaluator").isNotEmpty();
    }

    @Test
    void evaluatesACompletedJobExportsItAndRegistersItAsCandidate() throws Exception {
        UUID job = UUID.randomUUID();
        Path checkpoint = EvaluationFixtures.jobFolderWithCheckpoint(JOBS, job, trained);
        String runId = EvaluationFixtures.mlflowRun(mlflow, job);
        EvaluationFixtures.completedJob(db, job, dataset, trained.config(), checkpoint.toString(), runId);

        EvaluationFixtures.publish(TrainingFinished.completed(job, checkpoint.toString(), trained.epochs(), 0.5, 1.0, runId));

        JsonNode evaluation = awaitEvaluation(job);
        assertThat(evaluation.get("top1").asDouble()).isBetween(0.0, 1.0);
        assertThat(evaluation.get("top5").asDouble()).isBetween(0.0, 1.0);
        assertThat(evaluation.get("test_images").asInt()).isEqualTo(12); // the full test split
        JsonNode perClass = JSON.readTree(evaluation.get("per_class").asText());
        assertThat(perClass).hasSize(2);
        assertThat(perClass.findValuesAsText("class")).containsExactlyElementsOf(EvaluationFixtures.CLASSES);
        Path jobDir = checkpoint.getParent();
        assertThat(Path.of(evaluation.get("confusion_matrix_location").asText()))
                .isEqualTo(jobDir.resolve("evaluation/confusion_matrix.png")).isRegularFile();
        assertThat(jobDir.resolve("evaluation/per_class.csv")).isRegularFile();

        JsonNode version = modelVersion(job);
        String model = ModelRegistration.registeredModelName(dataset.name());
        assertThat(version.get("registered_model").asText()).isEqualTo(model).startsWith("resnetops-eval-stripes-");
        assertThat(version.get("parity_passed").asBoolean()).isTrue();
        Path onnx = Path.of(version.get("onnx_location").asText());
        assertThat(onnx).isEqualTo(jobDir.resolve("model.onnx")).isRegularFile();
        assertThat(version.get("onnx_sha256").asText()).isEqualTo(Sha256.ofFile(onnx));
        JsonNode integrity = row("SELECT * FROM model_integrity WHERE job_id = ?", job);
        assertThat(integrity.get("registered_model").asText()).isEqualTo(model);
        assertThat(integrity.get("version").asInt()).isEqualTo(version.get("version").asInt());
        assertThat(integrity.get("onnx_sha256").asText()).isEqualTo(Sha256.ofFile(onnx));
        assertThat(integrity.get("onnx_size_bytes").asLong()).isEqualTo(Files.size(onnx));
        assertThat(version.get("checkpoint_sha256").asText()).isEqualTo(Sha256.ofFile(checkpoint.resolve("model.params")));
        assertThat(JSON.readTree(version.get("parity_report").asText()).get("passed").asBoolean()).isTrue();
        assertThat(jobDir.resolve("model.parity.json")).isRegularFile();
        assertThat(candidateOf(model)).isEqualTo(version.get("id").asText());

        Run run = mlflow.getRun(runId);
        assertThat(run.latestMetrics()).containsKeys("test_top1", "test_top5", "test_loss");
        assertThat(run.latestMetrics().get("test_top1").step()).isEqualTo(trained.epochs());
        assertThat(run.latestMetrics().get("test_top1").value()).isEqualTo(evaluation.get("top1").asDouble());
        assertThat(mlflow.listArtifacts(runId, "evaluation")).extracting(ArtifactEntry::path)
                .contains("evaluation/confusion_matrix.png", "evaluation/metrics.json", "evaluation/per_class.csv");
        assertThat(mlflow.listArtifacts(runId, "model")).extracting(ArtifactEntry::path)
                .contains("model/model.onnx", "model/model.parity.json");

        ModelVersion candidate = mlflow.versionByAlias(model, ModelRegistration.CANDIDATE).orElseThrow();
        assertThat(candidate.version()).isEqualTo(version.get("version").asText());
        assertThat(candidate.runId()).isEqualTo(runId);
        assertThat(candidate.tags()).containsEntry(ModelRegistration.TAG_JOB_ID, job.toString())
                .containsEntry(ModelRegistration.TAG_PARITY, "passed")
                .containsEntry("resnetops.model_preset", "resnet18-small")
                .containsEntry("resnetops.dataset_version_id", dataset.versionId().toString())
                .containsKeys("resnetops.parity_max_abs_diff", "resnetops.test_top1", "resnetops.test_top5",
                        "resnetops.dataset_hash", "resnetops.run_id");

        // The numbers are those of the served file, computed by ONNX Runtime; run and version say so.
        assertThat(candidate.tags()).containsEntry(ModelRegistration.TAG_EVALUATION_ENGINE, "onnxruntime")
                .containsEntry(ModelRegistration.TAG_EVALUATED_FILE, "model.onnx");
        assertThat(run.tags()).containsEntry(ModelRegistration.TAG_EVALUATION_ENGINE, "onnxruntime")
                .containsEntry(ModelRegistration.TAG_EVALUATED_FILE, "model.onnx");

        List<ModelAliasMoved> moved = aliasMovesOf(model, job);
        assertThat(moved).singleElement().satisfies(m -> {
            assertThat(m.alias()).isEqualTo("candidate");
            assertThat(m.version()).isEqualTo(version.get("version").asInt());
            assertThat(m.onnxLocation()).isEqualTo(onnx.toString());
            assertThat(m.onnxSha256()).isEqualTo(Sha256.ofFile(onnx));
        });
    }

    @Test
    void anExportThatFailsTheParityGateIsEvaluatedAsTheRejectedFileAndNeverBecomesCandidate() throws Exception {
        UUID job = UUID.randomUUID();
        Path checkpoint = EvaluationFixtures.jobFolderWithCheckpoint(JOBS, job, trained);
        Path jobDir = checkpoint.getParent();
        CorruptibleGatedExport.corruptExportOf(jobDir);
        String runId = EvaluationFixtures.mlflowRun(mlflow, job);
        EvaluationFixtures.completedJob(db, job, dataset, trained.config(), checkpoint.toString(), runId);
        String model = ModelRegistration.registeredModelName(dataset.name());
        String candidateBefore = candidateOf(model);

        EvaluationFixtures.publish(TrainingFinished.completed(job, checkpoint.toString(), trained.epochs(), null, null, runId));

        JsonNode evaluation = awaitEvaluation(job);
        assertThat(evaluation.get("test_images").asInt()).isEqualTo(12);
        JsonNode version = modelVersion(job);
        assertThat(version.get("parity_passed").asBoolean()).isFalse();
        Path rejected = jobDir.resolve("model.rejected.onnx");
        assertThat(Path.of(version.get("onnx_location").asText())).isEqualTo(rejected).isRegularFile();
        assertThat(jobDir.resolve("model.onnx")).doesNotExist();
        assertThat(jobDir.resolve("model.rejected.parity.json")).isRegularFile();

        ModelVersion registered = mlflow.getModelVersion(model, version.get("version").asText());
        assertThat(registered.tags()).containsEntry(ModelRegistration.TAG_PARITY, "failed")
                .containsEntry(ModelRegistration.TAG_EVALUATION_ENGINE, "onnxruntime")
                .containsEntry(ModelRegistration.TAG_EVALUATED_FILE, "model.rejected.onnx");
        assertThat(mlflow.getRun(runId).tags())
                .containsEntry(ModelRegistration.TAG_EVALUATED_FILE, "model.rejected.onnx");
        assertThat(candidateOf(model)).isEqualTo(candidateBefore).isNotEqualTo(version.get("id").asText());
        assertThat(aliasMovesOf(model, job)).isEmpty();
    }

    @Test
    void aRedeliveredCompletionChangesNothing() throws Exception {
        UUID job = UUID.randomUUID();
        Path checkpoint = EvaluationFixtures.jobFolderWithCheckpoint(JOBS, job, trained);
        String runId = EvaluationFixtures.mlflowRun(mlflow, job);
        EvaluationFixtures.completedJob(db, job, dataset, trained.config(), checkpoint.toString(), runId);
        EvaluationFixtures.publish(TrainingFinished.completed(job, checkpoint.toString(), trained.epochs(), null, null, runId));
        awaitEvaluation(job);
        JsonNode first = modelVersion(job);

        // The same completion again under a new message id: a trainer that crashed after its outbox send.
        TrainingFinished again = TrainingFinished.completed(job, checkpoint.toString(), trained.epochs(), null, null, runId);
        EvaluationFixtures.publish(again);
        awaitInbox(again.messageId());

        assertThat(count("SELECT count(*) FROM model_versions WHERE job_id = ?", job)).isEqualTo(1);
        assertThat(modelVersion(job).get("id")).isEqualTo(first.get("id"));
        String model = ModelRegistration.registeredModelName(dataset.name());
        assertThat(mlflow.searchModelVersions("name = '" + model + "' and tags.`resnetops.job_id` = '" + job + "'"))
                .hasSize(1);
        assertThat(mlflow.metricHistory(runId, "test_top1")).hasSize(1);
        assertThat(aliasMovesOf(model, job)).hasSize(1);
    }

    @Test
    void keepsTheEventUntilTheJobHasAnMlflowRun() throws Exception {
        UUID job = UUID.randomUUID();
        Path checkpoint = EvaluationFixtures.jobFolderWithCheckpoint(JOBS, job, trained);
        // MLflow was down while the job trained: the trainer's tracking relay has not created the run yet.
        EvaluationFixtures.completedJob(db, job, dataset, trained.config(), checkpoint.toString(), null);
        EvaluationFixtures.publish(TrainingFinished.completed(job, checkpoint.toString(), trained.epochs(), null, null, null));

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (loop.lastRetryReason() == null || !loop.lastRetryReason().contains(job.toString())) {
            assertThat(System.nanoTime()).as("the evaluator retries the event").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(loop.lastRetryReason()).contains("no MLflow run yet");
        assertThat(count("SELECT count(*) FROM job_evaluations WHERE job_id = ?", job)).isZero();

        String runId = EvaluationFixtures.mlflowRun(mlflow, job);
        try (Connection c = db.getConnection();
             PreparedStatement u = c.prepareStatement("UPDATE jobs SET mlflow_run_id = ? WHERE id = ?")) {
            u.setString(1, runId);
            u.setObject(2, job);
            u.executeUpdate();
        }
        awaitEvaluation(job);
        assertThat(mlflow.getRun(runId).latestMetrics()).containsKey("test_top1");
        // The loop clears the reason once the outcome reaches it, just after the commit the rows came from.
        long cleared = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (loop.lastRetryReason() != null && System.nanoTime() < cleared) {
            Thread.sleep(50);
        }
        assertThat(loop.lastRetryReason()).isNull();
    }

    @Test
    void skipsAJobWhoseMlflowRunNeverCameWhileMlflowAnswersAndEvaluatesTheNextOne() throws Exception {
        UUID orphan = UUID.randomUUID();
        Path orphanCheckpoint = EvaluationFixtures.jobFolderWithCheckpoint(JOBS, orphan, trained);
        EvaluationFixtures.completedJob(db, orphan, dataset, trained.config(), orphanCheckpoint.toString(), null);
        UUID fine = UUID.randomUUID();
        Path checkpoint = EvaluationFixtures.jobFolderWithCheckpoint(JOBS, fine, trained);
        String fineRun = EvaluationFixtures.mlflowRun(mlflow, fine);
        EvaluationFixtures.completedJob(db, fine, dataset, trained.config(), checkpoint.toString(), fineRun);

        // Completed an hour ago, past mlops.evaluator.retry.mlflow-run-wait (30 min), and still no run. Both
        // events under one key, so on one partition in this order: the orphan would hold the good job back.
        TrainingFinished old = TrainingFinished.completed(orphan, orphanCheckpoint.toString(), trained.epochs(), null,
                null, null);
        EvaluationFixtures.publishRaw(Topics.TRAINING_EVENTS, orphan.toString(), MessageCodec.toJson(
                new TrainingFinished(old.schemaVersion(), old.messageId(), Instant.now().minus(Duration.ofHours(1)),
                        orphan, JobState.COMPLETED, null, old.checkpointLocation(), old.epochs(), null, null, null)));
        EvaluationFixtures.publishRaw(Topics.TRAINING_EVENTS, orphan.toString(), MessageCodec.toJson(
                TrainingFinished.completed(fine, checkpoint.toString(), trained.epochs(), null, null, fineRun)));

        awaitEvaluation(fine);
        assertThat(count("SELECT count(*) FROM job_evaluations WHERE job_id = ?", orphan)).isZero();
    }

    @Test
    void skipsAMissingCheckpointWithAnErrorAndServesTheNextEvents() throws Exception {
        UUID broken = UUID.randomUUID();
        Path nowhere = JOBS.resolve(broken.toString()).resolve("checkpoint"); // never created
        String brokenRun = EvaluationFixtures.mlflowRun(mlflow, broken);
        EvaluationFixtures.completedJob(db, broken, dataset, trained.config(), nowhere.toString(), brokenRun);
        UUID fine = UUID.randomUUID();
        Path checkpoint = EvaluationFixtures.jobFolderWithCheckpoint(JOBS, fine, trained);
        String fineRun = EvaluationFixtures.mlflowRun(mlflow, fine);
        EvaluationFixtures.completedJob(db, fine, dataset, trained.config(), checkpoint.toString(), fineRun);

        List<LogRecord> errors = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.resnetops.evaluator");
        logger.addHandler(capture);
        TrainingFinished missing = TrainingFinished.completed(broken, nowhere.toString(), 1, null, null, brokenRun);
        try {
            // All on one partition, in this order: garbage, a failed job, the missing checkpoint, a good job.
            EvaluationFixtures.publishRaw(Topics.TRAINING_EVENTS, "garbage", "{not json");
            EvaluationFixtures.publish(TrainingFinished.ended(UUID.randomUUID(), JobState.FAILED, "test", 0, null));
            EvaluationFixtures.publish(missing);
            EvaluationFixtures.publish(TrainingFinished.completed(fine, checkpoint.toString(), 1, null, null, fineRun));

            awaitEvaluation(fine);
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(count("SELECT count(*) FROM job_evaluations WHERE job_id = ?", broken)).isZero();
        assertThat(count("SELECT count(*) FROM model_versions WHERE job_id = ?", broken)).isZero();
        assertThat(count("SELECT count(*) FROM inbox WHERE message_id = ?", missing.messageId())).isZero();
        assertThat(errors).extracting(this::text)
                .anySatisfy(m -> assertThat(m).contains("malformed").contains("not JSON"))
                .anySatisfy(m -> assertThat(m).contains(broken.toString()).contains(nowhere.toString()));
        assertThat(Files.exists(nowhere.getParent())).isFalse();
    }

    private String text(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (parameters != null && parameters.length > 0) {
            try {
                message = String.format(message, parameters);
            } catch (RuntimeException e) {
                message = message + " " + java.util.Arrays.toString(parameters);
            }
        }
        return message;
    }

    private JsonNode awaitEvaluation(UUID job) throws Exception {
        long deadline = System.nanoTime() + EVALUATION_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode row = row("SELECT * FROM job_evaluations WHERE job_id = ?", job);
            if (row != null && modelVersion(job) != null) {
                return row;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job " + job + " was not evaluated within " + EVALUATION_TIMEOUT.toSeconds()
                + " s (retrying: " + loop.lastRetryReason() + ")");
    }

    private void awaitInbox(UUID messageId) throws Exception {
        long deadline = System.nanoTime() + EVALUATION_TIMEOUT.toNanos();
        while (count("SELECT count(*) FROM inbox WHERE consumer = 'evaluator' AND message_id = ?", messageId) == 0) {
            assertThat(System.nanoTime()).as("message " + messageId + " processed in time").isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private JsonNode modelVersion(UUID job) throws Exception {
        return row("SELECT * FROM model_versions WHERE job_id = ?", job);
    }

    private String candidateOf(String model) throws Exception {
        JsonNode row = row("SELECT model_version_id FROM model_aliases WHERE registered_model = ? AND alias = 'candidate'",
                model);
        return row == null ? null : row.get("model_version_id").asText();
    }

    private List<ModelAliasMoved> aliasMovesOf(String model, UUID job) {
        return TopicProbe.recordsWithKey(EvaluationFixtures.bootstrapServers(), Topics.MODEL_EVENTS, model,
                        Duration.ofSeconds(20), Duration.ofSeconds(2)).stream()
                .map(r -> (ModelAliasMoved) MessageCodec.fromJson(r.value()))
                .filter(m -> m.jobId().equals(job)).toList();
    }

    private long count(String sql, Object parameter) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One row as JSON (column name -> value as text), or null. */
    private JsonNode row(String sql, Object parameter) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                var node = JSON.createObjectNode();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    node.put(rs.getMetaData().getColumnLabel(i), value == null ? null : value.toString());
                }
                return node;
            }
        }
    }
}
