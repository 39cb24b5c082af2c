package dev.resnetops.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.messaging.MessageTooLargeException;
import dev.resnetops.messaging.OutboxHealthCheck;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.testsupport.TopicProbe;
import dev.resnetops.tracking.MetricPoint;
import dev.resnetops.tracking.MlflowAccount;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.trainer.tracking.TrackingHealthCheck;
import dev.resnetops.trainer.tracking.TrackingItem;
import dev.resnetops.trainer.tracking.TrackingOutbox;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * One row that can never be sent does not block the queue it is in: the outbox relay (to the real broker)
 * and the tracking relay (to the real MLflow) park it with its error after mlops.*.max-attempts (2 here)
 * and send the rows behind it; health and a metric report it. Rows too large are refused when written.
 */
@QuarkusTest
class PoisonRowsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource db;

    @Inject
    OutboxWriter outboxWriter;

    @Inject
    TrackingOutbox trackingOutbox;

    @Inject
    @Readiness
    OutboxHealthCheck outboxHealth;

    @Inject
    @Readiness
    TrackingHealthCheck trackingHealth;

    @Inject
    MeterRegistry metrics;

    @Test
    void anOutboxRowTooLargeForTheBrokerIsParkedWithItsErrorAndTheRowsBehindItArePublished() throws Exception {
        String poisonKey = UUID.randomUUID().toString();
        String nextKey = UUID.randomUUID().toString();
        // Written past the writer's check, as a row from before the limit, or under a larger limit, would be.
        long poison = insertOutboxRow(poisonKey, "{\"type\":\"TrainingFinished\",\"reason\":\"" + "x".repeat(1_200_000)
                + "\"}");
        insertOutboxRow(nextKey, "{\"type\":\"TrainingFinished\",\"reason\":\"after the poison row\"}");

        assertThat(TopicProbe.recordsWithKey(kafka(), Topics.TRAINING_EVENTS, nextKey, WAIT, Duration.ZERO))
                .as("the row behind the poison row").hasSize(1);
        await(() -> queryText("SELECT parked_at IS NOT NULL FROM outbox WHERE id = " + poison).equals("t"));
        assertThat(queryText("SELECT attempts || ' ' || last_error FROM outbox WHERE id = " + poison))
                .startsWith("2 RecordTooLargeException");
        assertThat(queryText("SELECT published_at IS NULL FROM outbox WHERE id = " + poison)).isEqualTo("t");

        HealthCheckResponse health = outboxHealth.call();
        assertThat(health.getStatus()).as("the relay works: the rows behind flow").isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(health.getData()).hasValueSatisfying(data -> assertThat(((Number) data.get("parked")).longValue())
                .isPositive());
        assertThat(metrics.get("outbox.parked").counter().count()).isPositive();
    }

    @Test
    void aMessageLargerThanTheOutboxTakesIsRefusedWhenWrittenNamingItsSizeAndTheLimit() throws Exception {
        UUID job = UUID.randomUUID();
        TrainingFinished huge = TrainingFinished.ended(job, JobState.FAILED, "y".repeat(1_100_000), 0, null);

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> outboxWriter.append(huge)))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("TrainingFinished").hasMessageContaining(job.toString())
                .hasMessageMatching("(?s).* is 1100\\d\\d\\d bytes, more than the outbox's limit of 1000000 bytes"
                        + " \\(mlops.outbox.max-message-bytes.*");
        assertThat(queryText("SELECT count(*) FROM outbox WHERE message_key = '" + job + "'")).isEqualTo("0");
    }

    @Test
    void aTrackingRowMlflowRefusesForGoodIsParkedAndTheJobsLaterRowsReachMlflow() throws Exception {
        MlflowClient mlflow = MlflowClient.builder().setServer(URI.create(ConfigProvider.getConfig()
                .getValue("mlops.trainer.mlflow-url", String.class)))
                .optAccount(MlflowAccount.requiredFromEnvironment()).build();
        UUID job = finishedJob();
        String experiment = mlflow.experimentIdFor("tracking-poison");
        String runId = mlflow.createRun(experiment, "poison-" + job, Instant.now(), Map.of()).runId();
        update("UPDATE jobs SET mlflow_run_id = '" + runId + "', mlflow_experiment_id = '" + experiment
                + "' WHERE id = '" + job + "'");

        // MLflow answers 400 INVALID_PARAMETER_VALUE to a metric name with '*' in it, every time.
        trackingOutbox.append(job, new TrackingItem.Metrics(List.of(new TrackingItem.Point("bad*key", 1, 1, 1000))));
        trackingOutbox.append(job, new TrackingItem.Metrics(List.of(new TrackingItem.Point("after_poison", 2, 1, 2000))));

        await(() -> !mlflow.metricHistory(runId, "after_poison").isEmpty());
        assertThat(mlflow.metricHistory(runId, "after_poison")).extracting(MetricPoint::value).containsExactly(2.0);
        String poison = "FROM tracking_outbox WHERE job_id = '" + job + "' AND payload::text LIKE '%bad*key%'";
        assertThat(queryText("SELECT (parked_at IS NOT NULL AND sent_at IS NULL) || ' ' || attempts " + poison))
                .isEqualTo("true 2");
        assertThat(queryText("SELECT last_error " + poison)).contains("HTTP 400");

        HealthCheckResponse health = trackingHealth.call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(health.getData()).hasValueSatisfying(data -> assertThat(((Number) data.get("parked")).longValue())
                .isPositive());
        assertThat(metrics.get("tracking.parked").counter().count()).isPositive();
    }

    @Test
    void aTrackingItemLargerThanTheLimitIsRefusedWhenWrittenNamingItsSizeAndTheLimit() throws Exception {
        UUID job = finishedJob();
        TrackingItem huge = new TrackingItem.StartRun("e", "r", Map.of("notes", "z".repeat(1_100_000)), Map.of());

        assertThatThrownBy(() -> trackingOutbox.append(job, huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job " + job).hasMessageContaining("start-run")
                .hasMessageContaining("more than the tracking outbox's limit of 1000000 bytes")
                .hasMessageContaining("mlops.trainer.tracking-max-row-bytes");
        assertThat(queryText("SELECT count(*) FROM tracking_outbox WHERE job_id = '" + job + "'")).isEqualTo("0");
    }

    /** A job no worker will take (already COMPLETED), for tracking rows to hang from. */
    private UUID finishedJob() throws Exception {
        TrainingFixtures.Dataset dataset = TrainingFixtures.tinyDataset(db, Path.of("target/test-data").toAbsolutePath());
        UUID job = UUID.randomUUID();
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (id, dataset_id, dataset_version_id, model,"
                     + " config, experiment, state) VALUES (?, ?, ?, 'resnet18-small', '{}'::jsonb, 'tracking-poison',"
                     + " 'COMPLETED')")) {
            insert.setObject(1, job);
            insert.setObject(2, dataset.datasetId());
            insert.setObject(3, dataset.versionId());
            insert.executeUpdate();
        }
        return job;
    }

    private long insertOutboxRow(String key, String payload) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (message_id, topic, message_key, payload,"
                     + " source) VALUES (?, ?, ?, ?, 'trainer') RETURNING id")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, Topics.TRAINING_EVENTS);
            insert.setString(3, key);
            insert.setString(4, payload);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String queryText(String sql) {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql);
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private void update(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement u = c.prepareStatement(sql)) {
            u.executeUpdate();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    private static String kafka() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
