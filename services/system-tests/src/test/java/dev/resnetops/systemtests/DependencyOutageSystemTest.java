package dev.resnetops.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.tracking.MetricPoint;
import dev.resnetops.tracking.MlflowClient;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real PostgreSQL and MLflow of the test infrastructure stopped and started again
 * ({@code deploy/local/infra.sh stop|start}) under the platform's services running as processes:
 * a workflow run whose job trains and an ingestion in flight across a PostgreSQL outage, an
 * evaluation across an MLflow outage, and a job across a Kafka outage, after which the worker takes
 * the next job. Each ends as it would have without the outage, once, with
 * nothing duplicated in PostgreSQL or MLflow.
 *
 * <p>Each outage is held until the step it is about has met it: PostgreSQL's until the job has
 * checkpointed its second epoch (recorded right after) and its lease has lapsed, MLflow's until the
 * evaluator has reported that it waits for MLflow, Kafka's until the job has ended. So each covers its
 * step whatever the machine's speed, and is never much longer.
 * About 7-8 minutes on the shared 2-core machine at a load average of 15 (two Fashion-MNIST ingestions,
 * four ResNet-18 trainings of 128 images at 32 px and their evaluations on 32 test images).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DependencyOutageSystemTest {

    private static final String TOKEN = TestTokens.forRole("admin");
    /** The smallest budget the other system tests use: 128 training images at 32 px, batch 32. */
    private static final Map<String, Object> BUDGET = Map.of("model", "resnet18-small", "batchSize", 32,
            "maxTrainSamples", 128, "maxTestSamples", 100, "warmupEpochs", 0, "workers", 1);
    private static final Duration LEASE = Duration.ofSeconds(20);
    private static final String WAITING_FOR_AN_EPOCH = "waiting for PostgreSQL to record epoch";
    private static final String WAITING_FOR_MLFLOW = "MLflow is unavailable";

    private static ServiceProcess orchestrator;
    private static ServiceProcess ingestion;
    private static ServiceProcess trainer;
    private static ServiceProcess evaluator;
    private static PlatformApi platform;
    private static Path dataRoot;
    private static String datasetName;
    private static String datasetId;

    @BeforeAll
    static void startServices() throws Exception {
        Assumptions.assumeTrue(System.getenv("MLOPS_INFRA_STATE") != null, "MLOPS_INFRA_STATE is not set: these"
                + " tests stop and start the throwaway PostgreSQL and MLflow of ./mlops test, never a running stack's");
        dataRoot = Files.createDirectories(Path.of("target/system-data").toAbsolutePath());
        Map<String, String> env = new HashMap<>(Map.of("MLOPS_DATA_ROOT", dataRoot.toString(),
                "MLOPS_WORKFLOWS", Infrastructure.repoRoot().resolve("workflows").toString(),
                "MLOPS_WORKFLOWS_RETRY_BACKOFF", "1s"));
        orchestrator = ServiceProcess.start("orchestrator", env);
        platform = new PlatformApi(orchestrator.baseUrl(), TOKEN);
        ingestion = ServiceProcess.start("ingestion", env);
        Map<String, String> worker = new HashMap<>(env);
        worker.put("MLOPS_WORKER_ID", "outage");
        // Shorter than the PostgreSQL outage below, so the job's lease lapses while the database is down: the
        // job must still go on with this worker after the restart, not be requeued by the lease reaper.
        worker.put("MLOPS_TRAINER_LEASE_DURATION", LEASE.toString());
        worker.put("MLOPS_TRAINER_HEARTBEAT", "PT2S");
        trainer = ServiceProcess.start("trainer", worker);
        Map<String, String> evaluatorEnv = new HashMap<>(env);
        evaluatorEnv.put("MLOPS_EVALUATOR_MAX_TEST_SAMPLES", "32");
        // Retries within seconds of MLflow's return, not after the default minute.
        evaluatorEnv.put("MLOPS_EVALUATOR_RETRY_MAX_BACKOFF", "PT5S");
        evaluator = ServiceProcess.start("evaluator", evaluatorEnv);
        datasetName = "fashion-mnist-outage-" + UUID.randomUUID().toString().substring(0, 6);
        datasetId = platform.ingest(datasetName, "/usr/share/datasets/fashion-mnist", Duration.ofMinutes(4));
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (System.getenv("MLOPS_INFRA_STATE") != null) {
            // Whatever a failed test left stopped comes back for the tests after this class.
            for (String part : List.of("postgres", "kafka", "mlflow")) {
                infra("start", part);
            }
        }
        for (ServiceProcess p : new ServiceProcess[] {evaluator, trainer, ingestion, orchestrator}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Test
    @Order(1)
    void aTrainingJobItsWorkflowRunAndAnIngestionAllFinishOnceAcrossAPostgresOutage() throws Exception {
        String run = platform.authorized().body(Map.of("parameters", Map.of("dataset", datasetId,
                        "model", "resnet18-small", "epochs", 2, "batch-size", 32, "max-train-samples", 128,
                        "max-test-samples", 100)))
                .post("/workflows/train-evaluate-promote/runs").then().statusCode(201).extract().path("id");
        String job = awaitValue("the job of the run's train step", Duration.ofMinutes(1), () -> jobsOfStep(run, "train")
                .stream().findFirst());
        platform.awaitEpochs(job, 1, Duration.ofMinutes(4));
        String ingesting = platform.authorized().body(Map.of("name", datasetName + "-again",
                        "source", "/usr/share/datasets/fashion-mnist")).post("/datasets").then().statusCode(202)
                .extract().path("id");

        String before = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/datasets/" + ingesting).then().extract()
                .path("status");
        infra("stop", "postgres");
        long down = System.nanoTime();
        try {
            // Until the trainer has finished epoch 2 (its checkpoint is written just before the epoch is
            // recorded) and a moment more: the outage covers that epoch's record whatever the machine's speed.
            Path checkpoint = dataRoot.resolve("jobs").resolve(job).resolve("checkpoint/state.json");
            await("epoch 2 of job " + job + " checkpointed while PostgreSQL is down", Duration.ofMinutes(4),
                    () -> Files.isRegularFile(checkpoint) && checkpointedEpoch(checkpoint) >= 2);
            Thread.sleep(3_000);
            // And past the lease, however fast the epoch was.
            long leaseLapsed = down + LEASE.plusSeconds(10).toNanos();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(leaseLapsed - System.nanoTime())));
        } finally {
            infra("start", "postgres");
        }
        System.out.printf("PostgreSQL was down for %d s; the second dataset was %s when it stopped%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - down), before);

        JsonPath finished = awaitRun(run, Duration.ofMinutes(8));
        assertThat(finished.getString("state")).as(finished.prettify()).isEqualTo("COMPLETED");
        assertThat(jobsOfStep(run, "train")).as("jobs of the train step across the outage").containsExactly(job);
        JsonPath done = platform.job(job);
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("COMPLETED");
        assertThat(done.getInt("run.attempt")).as("the job went on on its worker, not requeued").isEqualTo(1);
        assertThat(platform.epochs(job)).containsExactly(1, 2);
        assertThat(count("SELECT count(*) FROM job_epoch_metrics WHERE job_id = ?::uuid", job)).isEqualTo(2);
        String runId = done.getString("run.mlflowRunId");
        await("the job's metrics in MLflow", Duration.ofMinutes(2),
                () -> mlflow().metricHistory(runId, "val_top1").size() >= 2);
        assertThat(mlflow().metricHistory(runId, "val_top1")).extracting(MetricPoint::step).containsExactly(1L, 2L);
        assertThat(count("SELECT count(*) FROM model_versions WHERE job_id = ?::uuid", job))
                .as("model versions of the job").isEqualTo(1);
        assertThat(mlflow().searchModelVersions("run_id = '" + runId + "'")).as("MLflow model versions").hasSize(1);

        JsonPath dataset = awaitDataset(ingesting, Duration.ofMinutes(5));
        assertThat(dataset.getString("status")).as(dataset.prettify()).isEqualTo("READY");
        assertThat(count("SELECT count(*) FROM datasets WHERE name = ?", datasetName + "-again")).isEqualTo(1);
        assertThat(trainer.log()).as("the trainer says what it waits for")
                .contains(WAITING_FOR_AN_EPOCH + " 2 of job " + job);
    }

    @Test
    @Order(2)
    void anEvaluationWaitsOutAnMlflowOutageAndRegistersItsModelVersionOnce() throws Exception {
        Map<String, Object> config = new HashMap<>(BUDGET);
        config.put("epochs", 1);
        String job = platform.submit(datasetId, config, "outage-mlflow");
        // The run exists in MLflow (the evaluator logs its test metrics there) before MLflow goes away.
        String runId = awaitValue("the MLflow run of job " + job, Duration.ofMinutes(3),
                () -> Optional.ofNullable(platform.job(job).getString("run.mlflowRunId")));
        int waitsBefore = occurrences(evaluator.log(), WAITING_FOR_MLFLOW);

        infra("stop", "mlflow");
        long down = System.nanoTime();
        try {
            assertThat(platform.awaitState(job, Duration.ofMinutes(4), "COMPLETED", "FAILED").getString("state"))
                    .isEqualTo("COMPLETED");
            await("the evaluator waiting for MLflow", Duration.ofMinutes(4),
                    () -> occurrences(evaluator.log(), WAITING_FOR_MLFLOW) > waitsBefore);
            assertThat(count("SELECT count(*) FROM model_versions WHERE job_id = ?::uuid", job))
                    .as("model versions while MLflow is down").isZero();
        } finally {
            infra("start", "mlflow");
        }
        System.out.printf("MLflow was down for %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - down));

        await("the model version of job " + job, Duration.ofMinutes(4),
                () -> count("SELECT count(*) FROM model_versions WHERE job_id = ?::uuid", job) > 0);
        Thread.sleep(3_000); // a second registration, if there were one, would have come by now
        assertThat(count("SELECT count(*) FROM model_versions WHERE job_id = ?::uuid", job)).isEqualTo(1);
        assertThat(mlflow().searchModelVersions("run_id = '" + runId + "'")).as("MLflow model versions").hasSize(1);
        assertThat(mlflow().getRun(runId).latestMetrics()).containsKeys("test_top1", "test_top5");
    }

    @Test
    @Order(3)
    void aTrainerFinishesItsJobAcrossABrokerOutageAndTakesTheNextJobAfterwards() throws Exception {
        Map<String, Object> config = new HashMap<>(BUDGET);
        config.put("epochs", 1);
        String first = platform.submit(datasetId, config, "outage-kafka");
        platform.awaitState(first, Duration.ofMinutes(3), "RUNNING");

        infra("stop", "kafka");
        long down = System.nanoTime();
        try {
            // The job's records go to PostgreSQL (its events through the outbox): it needs no broker to finish.
            JsonPath done = platform.awaitState(first, Duration.ofMinutes(4), "COMPLETED", "FAILED");
            assertThat(done.getString("state")).as(done.prettify()).isEqualTo("COMPLETED");
        } finally {
            infra("start", "kafka");
        }
        System.out.printf("Kafka was down for %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - down));

        String second = platform.submit(datasetId, config, "outage-kafka");
        // Generous: the consumer group settles after the broker's return, and a machine under other builds'
        // load has been seen to stall every process for minutes.
        JsonPath next = platform.awaitState(second, Duration.ofMinutes(8), "COMPLETED", "FAILED");
        assertThat(next.getString("state")).as(next.prettify()).isEqualTo("COMPLETED");
        assertThat(next.getString("run.worker")).as("the same worker took the next job").isEqualTo("outage");
        for (String job : List.of(first, second)) {
            assertThat(platform.job(job).getInt("run.attempt")).as("attempts of job " + job).isEqualTo(1);
            assertThat(platform.epochs(job)).as("epochs of job " + job).containsExactly(1);
            await("the model version of job " + job, Duration.ofMinutes(4),
                    () -> count("SELECT count(*) FROM model_versions WHERE job_id = ?::uuid", job) > 0);
        }
        Thread.sleep(3_000);
        for (String job : List.of(first, second)) {
            assertThat(count("SELECT count(*) FROM model_versions WHERE job_id = ?::uuid", job))
                    .as("model versions of job " + job).isEqualTo(1);
        }
    }

    /** Runs {@code deploy/local/infra.sh <action> <part>} against the harness's throwaway state. */
    private static void infra(String action, String part) throws IOException, InterruptedException {
        Path script = Infrastructure.repoRoot().resolve("deploy/local/infra.sh");
        Process p = new ProcessBuilder(script.toString(), action, part).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("infra.sh %s %s:%n%s", action, part, out).isZero();
    }

    private static JsonPath awaitRun(String run, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonPath current = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/workflows/runs/" + run).then()
                    .statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(current.getString("state"))) {
                return current;
            }
            assertThat(System.nanoTime()).as("workflow run %s: %s", run, current.prettify()).isLessThan(deadline);
            Thread.sleep(1_000);
        }
    }

    private static JsonPath awaitDataset(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonPath dataset = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/datasets/" + id).then().statusCode(200)
                    .extract().jsonPath();
            if (!"INGESTING".equals(dataset.getString("status"))) {
                return dataset;
            }
            assertThat(System.nanoTime()).as("dataset %s still INGESTING; ingestion log:%n%s", id, ingestion.tail())
                    .isLessThan(deadline);
            Thread.sleep(1_000);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %s", what, timeout).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static <T> T awaitValue(String what, Duration timeout, Supplier<Optional<T>> value)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<T> found = value.get();
        while (found.isEmpty()) {
            assertThat(System.nanoTime()).as("%s within %s", what, timeout).isLessThan(deadline);
            Thread.sleep(500);
            found = value.get();
        }
        return found.get();
    }

    private static int checkpointedEpoch(Path state) {
        try {
            return JsonPath.from(Files.readString(state)).getInt("epochsCompleted");
        } catch (IOException | RuntimeException e) {
            return 0; // being replaced right now (the trainer moves a new checkpoint into place)
        }
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static List<String> jobsOfStep(String run, String key) {
        try (Connection db = Infrastructure.database();
             PreparedStatement q = db.prepareStatement("SELECT j.id FROM jobs j JOIN workflow_steps s"
                     + " ON s.id = j.workflow_step_id WHERE s.run_id = ?::uuid AND s.step_key = ?"
                     + " ORDER BY j.created_at")) {
            q.setString(1, run);
            q.setString(2, key);
            List<String> jobs = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    jobs.add(rs.getString(1));
                }
            }
            return jobs;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String sql, String parameter) {
        try (Connection db = Infrastructure.database(); PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MlflowClient mlflow() {
        return Infrastructure.mlflowClient();
    }
}
