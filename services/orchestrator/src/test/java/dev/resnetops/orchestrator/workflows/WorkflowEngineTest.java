package dev.resnetops.orchestrator.workflows;

import static dev.resnetops.orchestrator.workflows.WorkflowRuns.awaitRun;
import static dev.resnetops.orchestrator.workflows.WorkflowRuns.stepJob;
import static dev.resnetops.orchestrator.workflows.WorkflowRuns.stepState;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import dev.resnetops.orchestrator.service.workflow.WorkflowEngine;
import dev.resnetops.testsupport.TestDatasets;
import dev.resnetops.tracking.ArtifactEntry;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.RunStatus;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The engine's state machine on the real database, with {@link TrainerDouble} in place of the trainer
 * and evaluator: dependencies, parallelism, retries, failure, promotion and the result table.
 */
@QuarkusTest
class WorkflowEngineTest {

    private static final Duration STEP = Duration.ofSeconds(20);

    @Inject
    AgroalDataSource db;

    @Inject
    WorkflowEngine engine;

    @Test
    void trainsEvaluatesExportsAndPromotesTheFirstModelToChampion() throws Exception {
        String dataset = newDataset("wf-tep");
        TrainerDouble trainer = new TrainerDouble(db);
        UUID run = WorkflowRuns.submit("train-evaluate-promote", Map.of("dataset", dataset, "epochs", 1));

        JsonPath training = awaitRun(run, r -> stepJob(r, "train") != null, STEP);
        assertThat(stepState(training, "evaluate")).isEqualTo("PENDING");
        UUID job = stepJob(training, "train");
        trainer.complete(job);
        trainer.evaluate(job, 0.81, 0.99, "resnetops-" + dataset, 1);

        JsonPath done = awaitRun(run, r -> !"RUNNING".equals(r.getString("state")), STEP);
        assertThat(done.getString("state")).isEqualTo("COMPLETED");
        assertThat(done.getList("steps.state", String.class)).containsOnly("SUCCEEDED");
        assertThat(done.getDouble("steps.find { it.key == 'evaluate' }.output.top1")).isEqualTo(0.81);
        assertThat(done.getInt("steps.find { it.key == 'export' }.output.version")).isEqualTo(1);
        assertThat(done.getBoolean("steps.find { it.key == 'promote' }.output.promoted")).isTrue();
        assertThat(done.getString("steps.find { it.key == 'promote' }.output.winner")).isEqualTo("train");
        given().get("/models/resnetops-" + dataset).then().statusCode(200).body("aliases[0]", hasItem("champion"));
    }

    @Test
    void startsAtMostMaxParallelTrainingsAndBuildsTheTableWhenAllRowsAreDone() throws Exception {
        String dataset = newDataset("wf-ablation");
        TrainerDouble trainer = new TrainerDouble(db);
        UUID run = WorkflowRuns.submit("paper-ablation", Map.of("dataset", dataset, "epochs", 1, "max-parallel", 2));
        List<String> rows = List.of("baseline", "avgpool-shortcut", "label-smoothing", "mixed-precision-cosine", "paper",
                "resnet-d");
        double top1 = 0.50;
        for (int done = 0; done < rows.size(); done += 2) {
            int first = done;
            JsonPath pair = awaitRun(run, r -> stepJob(r, rows.get(first)) != null && stepJob(r, rows.get(first + 1)) != null,
                    STEP);
            // Two trainings at a time: the rows after this pair have not started.
            rows.subList(done + 2, rows.size()).forEach(row -> assertThat(stepState(pair, row)).isEqualTo("PENDING"));
            for (String row : rows.subList(done, done + 2)) {
                UUID job = stepJob(pair, row);
                trainer.complete(job);
                trainer.evaluate(job, top1, 0.9, null, 0);
                top1 += 0.01;
            }
        }

        JsonPath done = awaitRun(run, r -> !"RUNNING".equals(r.getString("state")), STEP);
        assertThat(done.getString("state")).isEqualTo("COMPLETED");
        assertThat(done.getList("result.rows.label", String.class)).hasSize(6).startsWith("ResNet-50 (baseline)");
        assertThat(done.getDouble("result.rows[5].deltas.top1")).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(done.getString("resultMarkdown")).contains("| ResNet-D with the paper's recipe | 55.00 | +5.00 |");
        for (String row : rows) {
            assertThat(new TrainerDouble(db).jobsOfStep(stepId(run, row))).as(row).isEqualTo(1);
        }
        assertOneParentRunWithAChildPerRowAndTheResult(run, rows);
    }

    /** MLflow is brought up to date by the engine after the run ends; give it a few passes. */
    private void assertOneParentRunWithAChildPerRowAndTheResult(UUID run, List<String> rows) throws Exception {
        MlflowClient mlflow = TrainerDouble.mlflow();
        JsonPath done = awaitRun(run, r -> r.getString("mlflowParentRunId") != null, STEP);
        String parent = done.getString("mlflowParentRunId");
        Instant deadline = Instant.now().plus(STEP);
        while (mlflow.getRun(parent).info().status() != RunStatus.FINISHED && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(mlflow.getRun(parent).info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(mlflow.getRun(parent).tags()).containsEntry("resnetops.workflow_run_id", run.toString());
        for (String row : rows) {
            String child = done.getString("steps.find { it.key == '" + row + "' }.output.run");
            assertThat(mlflow.getRun(child).tags()).as(row).containsEntry("mlflow.parentRunId", parent)
                    .containsEntry("resnetops.workflow_step", row);
        }
        assertThat(mlflow.listArtifacts(parent, "result")).extracting(ArtifactEntry::path)
                .contains("result/result.csv", "result/result.png", "result/result.md");
    }

    // The backoff's arithmetic is RetryPolicyTest's; here: a new job per attempt, then failure.
    @Test
    void retriesAFailedTrainingWithBackoffThenFailsTheRunWithTheReasonAndSkipsItsDependents() throws Exception {
        String dataset = newDataset("wf-retry");
        TrainerDouble trainer = new TrainerDouble(db);
        UUID run = WorkflowRuns.submit("train-evaluate-promote", Map.of("dataset", dataset, "epochs", 1));
        List<UUID> jobs = new ArrayList<>();
        Instant failedAt = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int expected = attempt;
            JsonPath running = awaitRun(run, r -> r.getInt("steps.find { it.key == 'train' }.attempt") == expected
                    && "RUNNING".equals(stepState(r, "train")), STEP);
            UUID job = stepJob(running, "train");
            assertThat(jobs).doesNotContain(job);
            if (attempt > 1) {
                assertThat(running.getString("steps.find { it.key == 'train' }.error"))
                        .contains("attempt " + (attempt - 1) + " failed").contains("CUDA out of memory");
                // retry-backoff is 1 s in the test profile, doubled per retry: 1 s before attempt 2, 2 s before 3.
                Instant started = Instant.parse(running.getString("steps.find { it.key == 'train' }.startedAt"));
                assertThat(Duration.between(failedAt, started)).as("backoff before attempt " + attempt)
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(1L << (attempt - 2)));
            }
            jobs.add(job);
            failedAt = Instant.now();
            trainer.fail(job, "CUDA out of memory (test double, attempt " + attempt + ")");
        }

        JsonPath failed = awaitRun(run, r -> !"RUNNING".equals(r.getString("state")), STEP);
        assertThat(failed.getString("state")).isEqualTo("FAILED");
        assertThat(failed.getString("stateReason")).contains("step train failed after 3 attempts")
                .contains("attempt 3");
        assertThat(stepState(failed, "train")).isEqualTo("FAILED");
        assertThat(stepState(failed, "evaluate")).isEqualTo("SKIPPED");
        assertThat(stepState(failed, "promote")).isEqualTo("SKIPPED");
        assertThat(failed.getString("steps.find { it.key == 'evaluate' }.error")).contains("step train failed");
    }

    @Test
    void failsAnEvaluationNoEvaluatorRecordedWithinTheDeadlineInsteadOfWaitingForEver() throws Exception {
        String dataset = newDataset("wf-no-evaluator");
        TrainerDouble trainer = new TrainerDouble(db);
        UUID run = WorkflowRuns.submit("train-evaluate-promote", Map.of("dataset", dataset, "epochs", 1));
        UUID job = stepJob(awaitRun(run, r -> stepJob(r, "train") != null, STEP), "train");
        trainer.complete(job);
        awaitRun(run, r -> "RUNNING".equals(stepState(r, "evaluate")) && "RUNNING".equals(stepState(r, "export")), STEP);

        // No evaluator answers; move both waiting steps' start back past the deadline (3 h by default).
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("UPDATE workflow_steps"
                + " SET started_at = now() - interval '4 hours' WHERE run_id = ? AND step_key IN ('evaluate', 'export')")) {
            q.setObject(1, run);
            assertThat(q.executeUpdate()).isEqualTo(2);
        }

        JsonPath failed = awaitRun(run, r -> !"RUNNING".equals(r.getString("state")), STEP);
        assertThat(failed.getString("state")).isEqualTo("FAILED");
        assertThat(failed.getString("steps.find { it.key == 'evaluate' }.error"))
                .contains("no evaluator recorded an evaluation of job " + job).contains("evaluation-deadline");
        assertThat(failed.getString("steps.find { it.key == 'export' }.error"))
                .contains("no evaluator recorded a registered ONNX model version of job " + job);
        assertThat(failed.getInt("steps.find { it.key == 'evaluate' }.attempt")).as("nothing to retry").isEqualTo(1);
        assertThat(stepState(failed, "promote")).isEqualTo("SKIPPED");
    }

    @Test
    void concurrentEnginePassesStartEachStepExactlyOnce() throws Exception {
        String dataset = newDataset("wf-race");
        UUID run = WorkflowRuns.submit("lr-sweep", Map.of("dataset", dataset, "epochs", 1, "max-parallel", 6));
        // The engine's own thread ticks too: with four more passes at once, SKIP LOCKED must let one win.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> passes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                passes.add(pool.submit(engine::tick));
            }
            for (Future<?> pass : passes) {
                pass.get();
            }
        } finally {
            pool.shutdown();
        }
        JsonPath started = awaitRun(run, r -> r.getList("steps.findAll { it.kind == 'train' && it.state == 'RUNNING' }")
                .size() == 6, STEP);
        for (String key : started.getList("steps.findAll { it.kind == 'train' }.key", String.class)) {
            assertThat(new TrainerDouble(db).jobsOfStep(stepId(run, key))).as(key).isEqualTo(1);
        }
        WorkflowRuns.read(run);
        given().auth().oauth2(WorkflowRuns.token()).post("/workflows/runs/" + run + "/cancel").then().statusCode(202);
    }

    private String newDataset(String prefix) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, name);
        return name;
    }

    private UUID stepId(UUID run, String key) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT id FROM workflow_steps WHERE run_id = ? AND step_key = ?")) {
            q.setObject(1, run);
            q.setString(2, key);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return (UUID) rs.getObject(1);
            }
        }
    }
}
