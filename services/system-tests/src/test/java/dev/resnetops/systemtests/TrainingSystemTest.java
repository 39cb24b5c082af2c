package dev.resnetops.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.testsupport.TcpProxy;
import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.tracking.ArtifactEntry;
import dev.resnetops.tracking.MetricPoint;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.Run;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Training jobs through the API with the orchestrator, ingestion and trainer workers as processes on
 * the real broker, database and MLflow: the normal path, a worker killed with SIGKILL mid-job, MLflow
 * going away during training, and cancellation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingSystemTest {

    // Signed with the test key the services started by ServiceProcess trust.
    private static final String TOKEN = TestTokens.forRole("admin");
    /** A CI-sized budget on Fashion-MNIST: 128 training images, 100 test images, 32 px. */
    private static final Map<String, Object> BUDGET = Map.of("batchSize", 32, "maxTrainSamples", 128,
            "maxTestSamples", 100, "warmupEpochs", 0, "workers", 1);

    private static ServiceProcess orchestrator;
    private static PlatformApi platform;
    private static ServiceProcess ingestion;
    private static Map<String, String> env;
    private static String datasetId;

    @BeforeAll
    static void startServices() throws Exception {
        Path dataRoot = Files.createDirectories(Path.of("target/system-data").toAbsolutePath());
        env = new HashMap<>(Map.of("MLOPS_DATA_ROOT", dataRoot.toString(),
                // Short leases so a killed worker's job is taken over within seconds, not the default 45 s.
                "MLOPS_TRAINER_LEASE_DURATION", "PT8S", "MLOPS_TRAINER_HEARTBEAT", "PT2S"));
        orchestrator = ServiceProcess.start("orchestrator", env);
        platform = new PlatformApi(orchestrator.baseUrl(), TOKEN);
        ingestion = ServiceProcess.start("ingestion", env);
        datasetId = api().body(Map.of("name", "fashion-mnist-training", "source", "/usr/share/datasets/fashion-mnist"))
                .post("/datasets").then().statusCode(202).extract().path("id");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!"READY".equals(dataset().getString("status"))) {
            assertThat(System.nanoTime()).as("Fashion-MNIST ingestion: " + dataset().prettify()).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    @AfterAll
    static void stopServices() throws InterruptedException {
        for (ServiceProcess p : new ServiceProcess[] {ingestion, orchestrator}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Test
    @Order(1)
    void trainsTheBaselineAndThePaperModelOnTwoWorkersWithEverythingInPostgresAndMlflow() throws Exception {
        // Two workers side by side share the cores (the trainer's declared thread split: one core each on two),
        // not two threads each fighting over both.
        Map<String, String> a = withWorker("worker-a");
        Map<String, String> b = withWorker("worker-b");
        Map<String, String> evaluatorEnv = new HashMap<>(env);
        // The evaluator's default is the whole test split (10,000 images): a GPU's job, not CI's.
        evaluatorEnv.put("MLOPS_EVALUATOR_MAX_TEST_SAMPLES", "300");
        try (ServiceProcess one = ServiceProcess.start("trainer", a, 2);
             ServiceProcess two = ServiceProcess.start("trainer", b, 2);
             ServiceProcess evaluator = ServiceProcess.start("evaluator", evaluatorEnv)) {
            String experiment = "system-" + UUID.randomUUID().toString().substring(0, 8);
            String baseline = submit("resnet50-small", 2, experiment);
            String paper = submit("resnet50-paper-small", 2, experiment);

            for (String job : List.of(baseline, paper)) {
                JsonPath done = platform.awaitState(job, Duration.ofMinutes(6), "COMPLETED", "FAILED", "CANCELLED");
                assertThat(done.getString("state")).as(done.prettify()).isEqualTo("COMPLETED");
                assertThat(done.getString("run.device")).isEqualTo("cpu");
                List<Integer> epochs = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/jobs/" + job + "/metrics")
                        .then().statusCode(200).extract().path("epoch");
                assertThat(epochs).containsExactly(1, 2);

                Run run = awaitFinishedRun(done.getString("run.mlflowRunId"));
                assertThat(run.params()).containsEntry("model", done.getString("model")).containsEntry("epochs", "2")
                        .containsEntry("maxTrainSamples", "128").containsKeys("labelSmoothing", "schedule", "seed",
                                "precision", "momentum", "weightDecay", "warmupEpochs");
                assertThat(run.tags()).containsEntry("resnetops.model_preset", done.getString("model"))
                        .containsEntry("resnetops.dataset_version", done.getString("datasetVersionId"))
                        .containsEntry("resnetops.device", "cpu")
                        .containsKeys("resnetops.worker_host", "mlflow.source.git.commit");
                assertThat(mlflow().metricHistory(run.info().runId(), "val_top1")).extracting(MetricPoint::step)
                        .containsExactly(1L, 2L);
                assertThat(mlflow().listArtifacts(run.info().runId(), "")).extracting(ArtifactEntry::path)
                        .contains("checkpoint", "training_curve.png", "metrics.csv", "config.yaml");
                // Both workers' tracking relays see this job's rows: exactly one of them may send them.
                assertThat(mlflow().searchRuns(List.of(run.info().experimentId()),
                        "tags.`resnetops.job_id` = '" + job + "'", 10)).as("MLflow runs of job " + job).hasSize(1);
            }
            assertThat(platform.job(baseline).getString("run.worker")).as("the two jobs ran in parallel on the two workers")
                    .isNotEqualTo(platform.job(paper).getString("run.worker"));

            // The evaluator registers both as versions of the dataset's model, candidate = the latest.
            String model = "resnetops-fashion-mnist-training";
            List<Map<String, Object>> versions = platform.awaitVersions(model, 2, Duration.ofMinutes(6));
            assertThat(versions).allSatisfy(v -> assertThat(v.get("parityPassed")).isEqualTo(true));
            assertThat(versions).extracting(v -> v.get("jobId")).containsExactlyInAnyOrder(baseline, paper);
            assertThat(versions).filteredOn(v -> ((List<?>) v.get("aliases")).contains("candidate")).hasSize(1);
            for (Map<String, Object> v : versions) {
                Run run = mlflow().getRun(platform.job((String) v.get("jobId")).getString("run.mlflowRunId"));
                assertThat(run.latestMetrics()).containsKeys("test_top1", "test_top5", "test_loss");
                // The test metrics are those of the served file, evaluated on ONNX Runtime (issue 16).
                assertThat(run.tags()).containsEntry("resnetops.evaluation_engine", "onnxruntime")
                        .containsEntry("resnetops.evaluated_file", "model.onnx");
            }

            // Promote the better of the two to champion, as a user comparing them would.
            Map<String, Object> best = versions.stream()
                    .max(java.util.Comparator.comparingDouble(v -> ((Number) v.get("top1")).doubleValue())).orElseThrow();
            api().body(Map.of("version", best.get("version"))).post("/models/" + model + "/promote")
                    .then().statusCode(200).body("aliases", org.hamcrest.Matchers.hasItem("champion"));
            assertThat(mlflow().versionByAlias(model, "champion")).map(v -> v.version())
                    .contains(String.valueOf(best.get("version")));
        }
    }

    @Test
    @Order(2)
    void aJobWhoseWorkerIsKilledResumesFromItsLastCheckpointWithContiguousEpochsAndTheSameRun() throws Exception {
        String job;
        try (ServiceProcess doomed = ServiceProcess.start("trainer", withWorker("doomed"))) {
            job = submit("resnet18-small", 4, "system-kill");
            platform.awaitEpochs(job, 2, Duration.ofMinutes(4));
            doomed.kill();
        }
        JsonPath killed = platform.job(job);
        assertThat(killed.getString("state")).isEqualTo("RUNNING");
        int epochsBefore = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/jobs/" + job + "/metrics").then().extract()
                .path("size()");

        try (ServiceProcess rescuer = ServiceProcess.start("trainer", withWorker("rescuer"))) {
            JsonPath done = platform.awaitState(job, Duration.ofMinutes(5), "COMPLETED", "FAILED");
            assertThat(done.getString("state")).as(done.prettify()).isEqualTo("COMPLETED");
            assertThat(done.getInt("run.attempt")).isEqualTo(2);
            assertThat(done.getString("run.worker")).isEqualTo("rescuer");
            assertThat(done.getList("history.reason", String.class))
                    .anySatisfy(r -> assertThat(r).contains("rescuer").contains("resuming after epoch"));
            List<Integer> epochs = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/jobs/" + job + "/metrics").then()
                    .extract().path("epoch");
            assertThat(epochs).containsExactly(1, 2, 3, 4);
            assertThat(epochsBefore).isGreaterThanOrEqualTo(2);
            String runId = done.getString("run.mlflowRunId");
            assertThat(runId).isEqualTo(killed.getString("run.mlflowRunId"));
            awaitFinishedRun(runId);
            assertThat(mlflow().metricHistory(runId, "val_top1")).extracting(MetricPoint::step)
                    .containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    @Order(3)
    void trainingGoesOnWhileMlflowIsDownAndEveryMetricArrivesOnceWhenItIsBack() throws Exception {
        URI real = URI.create(Infrastructure.mlflow());
        try (TcpProxy mlflowLink = TcpProxy.start(real.getHost(), real.getPort())) {
            Map<String, String> viaProxy = withWorker("offline");
            viaProxy.put("MLOPS_MLFLOW_URL", "http://127.0.0.1:" + mlflowLink.port());
            try (ServiceProcess worker = ServiceProcess.start("trainer", viaProxy)) {
                String job = submit("resnet18-small", 3, "system-mlflow-down");
                platform.awaitState(job, Duration.ofMinutes(2), "RUNNING");
                mlflowLink.down();
                JsonPath done = platform.awaitState(job, Duration.ofMinutes(5), "COMPLETED", "FAILED");
                assertThat(done.getString("state")).as(done.prettify()).isEqualTo("COMPLETED");
                Thread.sleep(3_000); // the relay has tried and failed meanwhile
                mlflowLink.up();

                String runId = awaitRunId(job);
                Run run = awaitFinishedRun(runId);
                assertThat(run.info().status().name()).isEqualTo("FINISHED");
                for (String metric : List.of("val_top1", "val_top5", "train_loss", "learning_rate")) {
                    assertThat(mlflow().metricHistory(runId, metric)).as(metric).extracting(MetricPoint::step)
                            .containsExactly(1L, 2L, 3L);
                }
            }
        }
    }

    @Test
    @Order(4)
    void cancellingARunningJobStopsItWithinAStep() throws Exception {
        try (ServiceProcess worker = ServiceProcess.start("trainer", withWorker("canceller"))) {
            String job = submit("resnet18-small", 50, "system-cancel");
            platform.awaitEpochs(job, 1, Duration.ofMinutes(3));
            long sent = System.nanoTime();
            api().post("/jobs/" + job + "/cancel").then().statusCode(202).body("cancelRequested",
                    org.hamcrest.Matchers.equalTo(true));
            JsonPath done = platform.awaitState(job, Duration.ofSeconds(60), "CANCELLED", "COMPLETED", "FAILED");
            assertThat(done.getString("state")).isEqualTo("CANCELLED");
            assertThat((System.nanoTime() - sent) / 1e9).as("seconds from the request to CANCELLED").isLessThan(20);
        }
    }

    private static Map<String, String> withWorker(String id) {
        Map<String, String> e = new HashMap<>(env);
        e.put("MLOPS_WORKER_ID", id);
        return e;
    }

    private static String submit(String model, int epochs, String experiment) {
        Map<String, Object> config = new HashMap<>(BUDGET);
        config.put("model", model);
        config.put("epochs", epochs);
        return api().body(Map.of("dataset", datasetId, "config", config, "experiment", experiment))
                .post("/jobs").then().statusCode(201).extract().path("id");
    }

    private static RequestSpecification api() {
        return platform.authorized();
    }

    private static JsonPath dataset() {
        return given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/datasets/" + datasetId).then().extract().jsonPath();
    }

    private static String awaitRunId(String job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String runId = platform.job(job).getString("run.mlflowRunId");
        while (runId == null) {
            assertThat(System.nanoTime()).as("MLflow run of job " + job).isLessThan(deadline);
            Thread.sleep(500);
            runId = platform.job(job).getString("run.mlflowRunId");
        }
        return runId;
    }

    private static MlflowClient mlflow() {
        return Infrastructure.mlflowClient();
    }

    private static Run awaitFinishedRun(String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Run run = mlflow().getRun(runId);
        while (!"FINISHED".equals(run.info().status().name()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            run = mlflow().getRun(runId);
        }
        return run;
    }
}
