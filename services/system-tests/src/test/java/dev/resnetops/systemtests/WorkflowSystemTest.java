package dev.resnetops.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.tracking.ArtifactEntry;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.Run;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The paper's ablation as one request on Fashion-MNIST at a CI-sized budget, with two trainer workers
 * and the evaluator as processes, and the orchestrator killed (SIGKILL) and restarted while the first
 * rows train: the run still ends with the complete table, every step ran exactly once, and MLflow has
 * one parent run with a child run per row. Then a training that fails on the trainer every time: retried
 * with a new job per attempt, then reported.
 *
 * <p>About two minutes on an otherwise idle 2-core machine (six ResNet-50 trainings of 64 images, their
 * evaluations on 32 test images and ONNX parity checks); the budget checks the plumbing, not the paper
 * (docs/benchmarks.md has the ablation at a real budget).
 */
class WorkflowSystemTest {

    // Signed with the test key the services started by ServiceProcess trust.
    private static final String TOKEN = TestTokens.forRole("admin");
    private static final List<String> ROWS = List.of("baseline", "avgpool-shortcut", "label-smoothing",
            "mixed-precision-cosine", "paper", "resnet-d");

    @Test
    void runsTheAblationAcrossAnOrchestratorRestartAndReportsAFailingStepAfterItsRetries() throws Exception {
        Path dataRoot = Files.createDirectories(Path.of("target/system-data").toAbsolutePath());
        Map<String, String> env = new HashMap<>(Map.of("MLOPS_DATA_ROOT", dataRoot.toString(),
                "MLOPS_WORKFLOWS", Infrastructure.repoRoot().resolve("workflows").toString()));
        Map<String, String> a = worker(env, "workflow-a");
        Map<String, String> b = worker(env, "workflow-b");
        Map<String, String> evaluatorEnv = new HashMap<>(env);
        evaluatorEnv.put("MLOPS_EVALUATOR_MAX_TEST_SAMPLES", "32");
        Map<String, String> orchestratorEnv = new HashMap<>(env);
        orchestratorEnv.put("MLOPS_WORKFLOWS_RETRY_BACKOFF", "1s"); // retries within seconds, not minutes
        String run;
        ServiceProcess orchestrator = ServiceProcess.start("orchestrator", orchestratorEnv);
        // Two workers side by side share the cores (the trainer's declared thread split: one core each on two).
        try (ServiceProcess ingestion = ServiceProcess.start("ingestion", env);
             ServiceProcess one = ServiceProcess.start("trainer", a, 2);
             ServiceProcess two = ServiceProcess.start("trainer", b, 2);
             ServiceProcess evaluator = ServiceProcess.start("evaluator", evaluatorEnv)) {
            String dataset = registerFashionMnist(orchestrator);
            run = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).contentType(ContentType.JSON)
                    .body(Map.of("parameters", Map.of("dataset", dataset, "epochs", 1, "max-train-samples", 64,
                            "max-test-samples", 32, "batch-size", 32)))
                    .post("/workflows/paper-ablation/runs").then().statusCode(201).extract().path("id");

            JsonPath training = await(orchestrator, run, r -> "RUNNING".equals(state(r, "baseline"))
                    && "RUNNING".equals(state(r, "avgpool-shortcut")), Duration.ofMinutes(1));
            assertThat(state(training, "label-smoothing")).as("max-parallel 2").isEqualTo("PENDING");
            orchestrator.kill();
            orchestrator = ServiceProcess.start("orchestrator", orchestratorEnv);

            JsonPath done = await(orchestrator, run, r -> !"RUNNING".equals(r.getString("state")), Duration.ofMinutes(12));
            assertThat(done.getString("state")).as(done.prettify()).isEqualTo("COMPLETED");
            assertThat(done.getList("result.rows.label", String.class)).hasSize(6);
            for (int row = 0; row < ROWS.size(); row++) {
                assertThat(done.getDouble("result.rows[" + row + "].values.top1")).as(ROWS.get(row)).isBetween(0.0, 1.0);
                assertThat(done.getDouble("result.rows[" + row + "].values.top5")).as(ROWS.get(row)).isBetween(0.0, 1.0);
            }
            assertThat(done.getString("resultMarkdown")).contains("| ResNet-50 (baseline) |");
            for (String row : ROWS) {
                assertThat(done.getInt("steps.find { it.key == '" + row + "' }.attempt")).as(row).isEqualTo(1);
                assertThat(jobsOfStep(run, row)).as("jobs of " + row + " across the restart").isEqualTo(1);
            }
            assertOneParentRunWithAChildPerRow(orchestrator, run, done);

            aTrainingThatFailsEveryAttemptIsRetriedThenFailsTheRunWithItsReason(orchestrator);
        } finally {
            orchestrator.close();
        }
    }

    private static void assertOneParentRunWithAChildPerRow(ServiceProcess orchestrator, String run, JsonPath done)
            throws InterruptedException {
        MlflowClient mlflow = Infrastructure.mlflowClient();
        JsonPath tracked = await(orchestrator, run, r -> r.getString("mlflowParentRunId") != null, Duration.ofMinutes(1));
        String parent = tracked.getString("mlflowParentRunId");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!"FINISHED".equals(mlflow.getRun(parent).info().status().name()) && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
        }
        Run parentRun = mlflow.getRun(parent);
        assertThat(parentRun.info().status().name()).isEqualTo("FINISHED");
        assertThat(mlflow.listArtifacts(parent, "result")).extracting(ArtifactEntry::path)
                .contains("result/result.csv", "result/result.png");
        List<Run> children = mlflow.searchRuns(List.of(parentRun.info().experimentId()),
                "tags.`mlflow.parentRunId` = '" + parent + "'", 100);
        assertThat(children).hasSize(6);
        assertThat(children).extracting(child -> child.tags().get("resnetops.workflow_step"))
                .containsExactlyInAnyOrderElementsOf(ROWS);
        for (String row : ROWS) {
            assertThat(children).extracting(child -> child.info().runId())
                    .contains(done.getString("steps.find { it.key == '" + row + "' }.output.run"));
        }
    }

    /**
     * A real trainer failure: the dataset's shards vanish after ingestion, so every attempt's job fails on
     * a trainer worker; the step gets a new job per attempt (max-attempts 3, backoff 1 s here), then the
     * run fails with the trainer's reason and the steps after the training are skipped.
     */
    private static void aTrainingThatFailsEveryAttemptIsRetriedThenFailsTheRunWithItsReason(
            ServiceProcess orchestrator) throws Exception {
        Path source = TinyImageFolder.write(Files.createTempDirectory("workflow-vanishing"), 7);
        String dataset = awaitReady(orchestrator, given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN)
                .contentType(ContentType.JSON).body(Map.of("name", "vanishing-shards-" + UUID.randomUUID().toString().substring(0, 8),
                        "source", source.toString()))
                .post("/datasets").then().statusCode(202).extract().path("id"));
        String shards = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/datasets/" + dataset).then().extract()
                .path("version.shardLocation");
        if (Files.exists(Path.of(shards))) { // an earlier run on this infrastructure may have removed them already
            try (Stream<Path> files = Files.walk(Path.of(shards))) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        String run = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(Map.of("parameters", Map.of("dataset", dataset, "epochs", 1)))
                .post("/workflows/train-evaluate-promote/runs").then().statusCode(201).extract().path("id");
        JsonPath failed = await(orchestrator, run, r -> !"RUNNING".equals(r.getString("state")), Duration.ofMinutes(3));

        assertThat(failed.getString("state")).as(failed.prettify()).isEqualTo("FAILED");
        assertThat(failed.getString("stateReason")).contains("step train failed after 3 attempts")
                .contains("shards are missing");
        assertThat(failed.getInt("steps.find { it.key == 'train' }.attempt")).isEqualTo(3);
        assertThat(jobsOfStep(run, "train")).as("a new job per attempt").isEqualTo(3);
        List<Instant> created = jobCreationTimes(run, "train");
        assertThat(Duration.between(created.get(0), created.get(1))).as("backoff before attempt 2")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.between(created.get(1), created.get(2))).as("doubled before attempt 3")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        for (String after : List.of("evaluate", "export", "promote")) {
            assertThat(state(failed, after)).as(after).isEqualTo("SKIPPED");
        }
    }

    private static String registerFashionMnist(ServiceProcess orchestrator) throws InterruptedException {
        return awaitReady(orchestrator, given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "fashion-mnist-workflow", "source", "/usr/share/datasets/fashion-mnist"))
                .post("/datasets").then().statusCode(202).extract().path("id"));
    }

    private static String awaitReady(ServiceProcess orchestrator, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!"READY".equals(given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/datasets/" + id).then().extract()
                .path("status"))) {
            assertThat(System.nanoTime()).as("ingestion of dataset " + id).isLessThan(deadline);
            Thread.sleep(500);
        }
        return id;
    }

    private static Map<String, String> worker(Map<String, String> env, String id) {
        Map<String, String> e = new HashMap<>(env);
        e.put("MLOPS_WORKER_ID", id);
        return e;
    }

    private static String state(JsonPath run, String key) {
        return run.getString("steps.find { it.key == '" + key + "' }.state");
    }

    private static JsonPath await(ServiceProcess orchestrator, String run, Predicate<JsonPath> done,
                                  Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonPath current = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/workflows/runs/" + run).then()
                    .statusCode(200).extract().jsonPath();
            if (done.test(current)) {
                return current;
            }
            assertThat(System.nanoTime()).as("workflow run " + run + ": " + current.prettify()).isLessThan(deadline);
            Thread.sleep(1_000);
        }
    }

    private static List<Instant> jobCreationTimes(String run, String key) throws Exception {
        try (Connection db = Infrastructure.database();
             PreparedStatement q = db.prepareStatement("SELECT j.created_at FROM jobs j JOIN workflow_steps s"
                     + " ON s.id = j.workflow_step_id WHERE s.run_id = ?::uuid AND s.step_key = ? ORDER BY j.created_at")) {
            q.setString(1, run);
            q.setString(2, key);
            List<Instant> times = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    times.add(rs.getTimestamp(1).toInstant());
                }
            }
            return times;
        }
    }

    private static int jobsOfStep(String run, String key) throws Exception {
        return jobCreationTimes(run, key).size();
    }
}
