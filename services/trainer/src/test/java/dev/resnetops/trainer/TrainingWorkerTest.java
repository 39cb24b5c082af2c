package dev.resnetops.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.CancelTraining;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.loops.BackgroundLoopsHealthCheck;
import dev.resnetops.testsupport.TopicProbe;
import dev.resnetops.tracking.ArtifactEntry;
import dev.resnetops.tracking.DatasetInput;
import dev.resnetops.tracking.MetricPoint;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.Run;
import dev.resnetops.vision.config.TrainingConfigCodec;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker on the real broker, database and MLflow server, training real (tiny) jobs. */
@QuarkusTest
class TrainingWorkerTest {

    private static TrainingFixtures.Dataset dataset;

    @Inject
    AgroalDataSource db;

    @Inject
    @Readiness
    BackgroundLoopsHealthCheck loopsReadiness;

    private TrainingFixtures.Dataset dataset() throws Exception {
        if (dataset == null) {
            dataset = TrainingFixtures.tinyDataset(db, Path.of("target/test-data").toAbsolutePath());
        }
        return dataset;
    }

    @Test
    void trainsAJobToCompletedWithEveryEpochInPostgresKafkaAndMlflow() throws Exception {
        String experiment = "trainer-test-" + UUID.randomUUID().toString().substring(0, 8);
        UUID job = TrainingFixtures.submit(db, dataset(), TrainingFixtures.quickConfig(2).build(), experiment);

        TrainingFixtures.JobRow row = TrainingFixtures.awaitState(db, job, Duration.ofMinutes(3), "COMPLETED", "FAILED");
        assertThat(row.state()).as(row.reason()).isEqualTo("COMPLETED");
        assertThat(row.epochs()).isEqualTo(2);
        assertThat(row.attempt()).isEqualTo(1);

        List<Message> events = TopicProbe.recordsWithKey(kafka(), Topics.TRAINING_EVENTS, job.toString(),
                Duration.ofSeconds(20), Duration.ofSeconds(2)).stream().map(r -> MessageCodec.fromJson(r.value())).toList();
        assertThat(events).filteredOn(e -> e instanceof TrainingFinished).singleElement()
                .satisfies(e -> assertThat(((TrainingFinished) e).checkpointLocation()).endsWith("checkpoint"));
        assertThat(events.stream().map(e -> e.getClass().getSimpleName()))
                .contains("TrainingStarted", "TrainingProgress", "EpochCompleted", "TrainingFinished");

        String runId = TrainingFixtures.awaitRun(db, job);
        Run run = TrainingFixtures.awaitFinishedRun(runId);
        assertThat(run.info().runName()).startsWith("resnet18-small-" + job.toString().substring(0, 8));
        assertThat(run.params()).containsEntry("model", "resnet18-small").containsEntry("epochs", "2")
                .containsKeys("learningRate", "labelSmoothing", "batchSize", "seed");
        assertThat(run.tags()).containsKeys("resnetops.dataset_version", "resnetops.model_preset", "resnetops.device",
                "resnetops.worker_host", "mlflow.source.git.commit");
        List<MetricPoint> top1 = TrainingFixtures.mlflow().metricHistory(runId, "val_top1");
        assertThat(top1).extracting(MetricPoint::step).containsExactly(1L, 2L);
        assertThat(TrainingFixtures.mlflow().listArtifacts(runId, "")).extracting(ArtifactEntry::path)
                .contains("metrics.csv", "training_curve.png", "config.yaml", "checkpoint");
        assertThat(TrainingFixtures.mlflow().experimentTags(run.info().experimentId()))
                .containsEntry(MlflowClient.EXPERIMENT_KIND_TAG, "custom_model_development");
        assertShowsItsDatasetSplits(run);
    }

    /** The run's Dataset column in MLflow: the train and test split of the job's dataset version. */
    private void assertShowsItsDatasetSplits(Run run) throws Exception {
        String hash = contentHash(dataset().versionId());
        assertThat(run.datasetInputs()).extracting(DatasetInput::name, DatasetInput::context)
                .containsExactlyInAnyOrder(tuple("tiny", DatasetInput.TRAINING),
                        tuple("tiny (test split)", DatasetInput.EVALUATION));
        for (DatasetInput input : run.datasetInputs()) {
            assertThat(input.digest()).isEqualTo(hash.substring(0, 12));
            assertThat(input.sourceType()).isEqualTo("local");
            assertThat(MessageCodec.mapper().readTree(input.source()).path("uri").asText()).contains("source-");
            JsonNode profile = MessageCodec.mapper().readTree(input.profile());
            assertThat(profile.path("dataset_version").asText()).isEqualTo(dataset().versionId().toString());
            assertThat(profile.path("sha256").asText()).isEqualTo(hash);
            assertThat(profile.path("classes").asInt()).isEqualTo(2);
            assertThat(profile.path("images").asLong()).isEqualTo(
                    DatasetInput.TRAINING.equals(input.context()) ? 24 : 8);
        }
    }

    private String contentHash(UUID versionId) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT content_hash FROM dataset_versions WHERE id = ?")) {
            q.setObject(1, versionId);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    @Test
    void cancelsARunningJobAtTheNextStep() throws Exception {
        UUID job = TrainingFixtures.submit(db, dataset(), TrainingFixtures.quickConfig(200).build(), "trainer-cancel");
        TrainingFixtures.awaitState(db, job, Duration.ofMinutes(2), "RUNNING");
        Thread.sleep(2_000); // well inside the first epochs
        long sent = System.nanoTime();
        setCancelRequested(job);
        TrainingFixtures.publish(CancelTraining.of(job, "test"));

        TrainingFixtures.JobRow row = TrainingFixtures.awaitState(db, job, Duration.ofSeconds(30), "CANCELLED",
                "COMPLETED", "FAILED");
        assertThat(row.state()).isEqualTo("CANCELLED");
        assertThat((System.nanoTime() - sent) / 1e9).as("seconds from cancel to CANCELLED").isLessThan(15);
    }

    @Test
    void failsAJobThatCannotRunWithTheReasonAndServesTheNextOne() throws Exception {
        TrainingFixtures.Dataset real = dataset();
        TrainingFixtures.Dataset gone = new TrainingFixtures.Dataset(real.datasetId(), real.versionId(),
                Path.of("target/test-data/no-such-shards-" + UUID.randomUUID()).toAbsolutePath());
        UUID broken = TrainingFixtures.submit(db, gone, TrainingFixtures.quickConfig(1).build(), "trainer-fail");
        UUID fine = TrainingFixtures.submit(db, real, TrainingFixtures.quickConfig(1).build(), "trainer-fail");

        TrainingFixtures.JobRow failed = TrainingFixtures.awaitState(db, broken, Duration.ofMinutes(2), "FAILED",
                "COMPLETED");
        assertThat(failed.state()).isEqualTo("FAILED");
        assertThat(failed.reason()).contains("shards are missing").contains("no-such-shards");
        assertThat(TrainingFixtures.awaitState(db, fine, Duration.ofMinutes(3), "COMPLETED", "FAILED").state())
                .isEqualTo("COMPLETED");
    }

    @Test
    void failsAQueuedJobWhoseConfigurationBreaksTheRulesWithoutClaimingIt() throws Exception {
        ObjectNode config = (ObjectNode) TrainingConfigCodec.toTree(TrainingFixtures.quickConfig(1).build());
        config.put("epochs", 0);
        UUID job = TrainingFixtures.submitUnchecked(db, dataset(), config, "trainer-reject");

        TrainingFixtures.JobRow row = TrainingFixtures.awaitState(db, job, Duration.ofMinutes(1), "FAILED", "RUNNING",
                "COMPLETED");
        assertThat(row.state()).isEqualTo("FAILED");
        assertThat(row.reason()).contains("cannot run").contains("epochs");
        assertThat(row.attempt()).as("no worker took a lease").isZero();
    }

    @Test
    void readinessNamesEveryLoopOfTheWorkerAndAllRun() {
        HealthCheckResponse response = loopsReadiness.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData()).hasValueSatisfying(data -> assertThat(data)
                .containsEntry("training-commands", "RUNNING").containsEntry("training-control", "RUNNING")
                .containsEntry("tracking-relay", "RUNNING").containsEntry("outbox-relay", "RUNNING")
                .containsEntry("lease-reaper", "RUNNING"));
    }

    private void setCancelRequested(UUID job) throws Exception {
        try (var c = db.getConnection();
             var u = c.prepareStatement("UPDATE jobs SET cancel_requested_at = now() WHERE id = ?")) {
            u.setObject(1, job);
            u.executeUpdate();
        }
    }

    private static String kafka() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
