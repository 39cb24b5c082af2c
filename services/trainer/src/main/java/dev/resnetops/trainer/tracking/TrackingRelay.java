package dev.resnetops.trainer.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.loops.BackgroundLoop;
import dev.resnetops.loops.BackgroundLoops;
import dev.resnetops.loops.LoopBody;
import dev.resnetops.store.jobs.JobRunRecords;
import dev.resnetops.tracking.Metric;
import dev.resnetops.tracking.MlflowAccount;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.MlflowException;
import dev.resnetops.tracking.MlflowUnavailableException;
import dev.resnetops.tracking.Param;
import dev.resnetops.tracking.Run;
import dev.resnetops.tracking.RunInfo;
import dev.resnetops.tracking.RunStatus;
import dev.resnetops.tracking.Tag;
import dev.resnetops.trainer.config.TrainerConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends the tracking outbox to MLflow: per job in order (the run first, then its dataset inputs, metrics,
 * artifacts, the end). While MLflow is unreachable nothing is dropped: rows wait and the relay retries with backoff.
 * A row whose send began but was not confirmed (a crash) is checked against MLflow before it is sent
 * again, so metrics never arrive twice.
 *
 * <p>One row that MLflow refuses for good (a 4xx: an invalid metric name, a value too long) or that cannot be
 * sent at all (unreadable, its files unreadable) is retried {@code mlops.trainer.tracking-max-attempts} times
 * and then parked with its error ({@code parked_at}): the job's rows behind it flow, and
 * {@link TrackingHealthCheck} and the {@code tracking.parked} metric report it. MLflow unreachable or
 * failing with a 5xx never parks a row.
 *
 * <p>A {@link BackgroundLoop} of rounds: a failed round (MLflow or the database away) backs off, doubling
 * up to {@code MAX_BACKOFF}, and the loop's health shows why it waits.
 */
@ApplicationScoped
public class TrackingRelay {

    private static final Logger LOG = Logger.getLogger(TrackingRelay.class);
    /** First key of the relay's advisory locks, so they cannot collide with another feature's. */
    private static final int ADVISORY_LOCK_CLASS = 0x7472_6b31; // "trk1"
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A round sends up to 100 rows, artifacts (checkpoints) among them, before it ticks. */
    private static final Duration STUCK_AFTER = Duration.ofMinutes(15);

    private record Row(long id, UUID jobId, String kind, String payload, boolean uncertain, int attempts) {
    }

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final JobRunRecords jobs;
    private final TrainerConfig config;
    private final MlflowClient mlflow;
    private final Counter parkedCounter;
    private final BackgroundLoop loop;

    TrackingRelay(AgroalDataSource dataSource, ObjectMapper json, JobRunRecords jobs, TrainerConfig config,
                  BackgroundLoops loops, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.json = json;
        this.jobs = jobs;
        this.config = config;
        MlflowClient.Builder client = MlflowClient.builder().setServer(URI.create(config.mlflowUrl()));
        MlflowAccount.of(config.mlflowUser(), config.mlflowPassword(), MlflowAccount.USER_VARIABLE,
                MlflowAccount.PASSWORD_VARIABLE).ifPresent(client::optAccount);
        this.mlflow = client.build();
        this.parkedCounter = metrics.counter("tracking.parked");
        // Interrupted on stop: a send blocked in HTTP is abandoned, its row stays "sending" and is
        // checked against MLflow before it goes again.
        this.loop = loops.register(BackgroundLoop.named("tracking-relay")
                .setBody(LoopBody.repeating(config.trackingRetry(), this::relayRound))
                .optRestartBackoff(config.trackingRetry(), MAX_BACKOFF)
                .setStuckAfter(STUCK_AFTER)
                .optJoinTimeout(Duration.ofSeconds(5))
                .optInterruptOnStop()
                .build());
    }

    void start(@Observes StartupEvent event) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** True when rows went out, so more may be waiting. */
    private boolean relayRound() throws Exception {
        try {
            return relayOnce() > 0;
        } catch (MlflowUnavailableException e) {
            throw new IllegalStateException("MLflow at " + config.mlflowUrl() + " is unreachable; training goes on"
                    + " and tracking catches up when it is back", e);
        }
    }

    private int relayOnce() throws Exception {
        int sent = 0;
        for (Row row : heads()) {
            // Every worker runs a relay over the same table: without a claim, two relays sent the same
            // head row at once (two MLflow runs for one job, metrics logged twice). The claim is a
            // transaction-scoped advisory lock on the job, held while its head row is sent; the row is
            // re-read under the lock because another relay may have sent it since heads() looked.
            try (Connection claim = dataSource.getConnection()) {
                claim.setAutoCommit(false);
                try {
                    if (claimJob(claim, row.jobId()) && stillUnsent(claim, row.id())) {
                        sent += sendClaimed(row);
                    }
                } finally {
                    claim.rollback(); // releases the advisory lock; nothing else was written on it
                }
            }
        }
        return sent;
    }

    private static boolean claimJob(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?, hashtext(?))")) {
            q.setInt(1, ADVISORY_LOCK_CLASS);
            q.setString(2, jobId.toString());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static boolean stillUnsent(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT sent_at IS NULL FROM tracking_outbox WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Sends one claimed row; 1 when it went out. */
    private int sendClaimed(Row row) throws Exception {
        markSending(row.id());
        try {
            send(row, json.readValue(row.payload(), TrackingItem.class));
            markSent(row.id());
            return 1;
        } catch (MlflowUnavailableException e) {
            throw e;
        } catch (MlflowException e) {
            if (!refusedForGood(e)) {
                // MLflow failing on its side (5xx) or asking to wait: the row waits, uncounted; other jobs go on.
                recordError(row.id(), e.getMessage(), false);
                return 0;
            }
            failedPermanently(row, e);
            return 0;
        } catch (IOException | RuntimeException e) {
            // An unreadable row, or files that cannot be read: sending it again cannot change that.
            failedPermanently(row, e);
            return 0;
        }
    }

    /** MLflow answered that this request is wrong (4xx), not that it cannot take it now or that we may not ask. */
    static boolean refusedForGood(MlflowException e) {
        int status = e.httpStatus();
        return status >= 400 && status < 500 && status != 401 && status != 403 && status != 408 && status != 429;
    }

    private void failedPermanently(Row row, Exception e) throws SQLException {
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (row.attempts() + 1 < config.trackingMaxAttempts()) {
            LOG.warnf("job %s: tracking row %d (%s) failed (%d of %d): %s", row.jobId(), row.id(), row.kind(),
                    row.attempts() + 1, config.trackingMaxAttempts(), error);
            recordError(row.id(), error, true);
            return;
        }
        update("UPDATE tracking_outbox SET attempts = attempts + 1, parked_at = now(), last_error = ? WHERE id = ?",
                row.id(), error);
        parkedCounter.increment();
        LOG.errorf("job %s: tracking row %d (%s) parked after %d failed sends: %s; the job's rows behind it go on."
                + " Fix the cause, then replay it (docs/operations.md, \"Parked rows\")", row.jobId(), row.id(),
                row.kind(), row.attempts() + 1, error);
    }

    /** Rows parked after failing permanently, waiting for an operator. */
    public long parked() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM tracking_outbox WHERE parked_at IS NOT NULL");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void send(Row row, TrackingItem item) throws Exception {
        String runId = jobs.mlflowRunId(row.jobId()).orElse(null);
        if (item instanceof TrackingItem.StartRun start) {
            if (runId == null) {
                startRun(row, start);
            }
            return;
        }
        if (runId == null) {
            // No run was ever started for this job (it ended before a worker took it): nothing to tell.
            return;
        }
        if (item instanceof TrackingItem.Inputs i) {
            // No check needed for an uncertain row: MLflow links a dataset to a run once, a resend adds nothing.
            mlflow.logInputs(runId, i.datasets());
        } else if (item instanceof TrackingItem.Tags t) {
            // Setting a tag again overwrites it with the same value: a resend is harmless.
            mlflow.logBatch(runId, List.of(), List.of(),
                    t.tags().entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList());
        } else if (item instanceof TrackingItem.Metrics m) {
            logMetrics(runId, m, row.uncertain());
        } else if (item instanceof TrackingItem.Artifacts a) {
            upload(runId, a);
        } else if (item instanceof TrackingItem.FinishRun f) {
            mlflow.finishRun(runId, RunStatus.valueOf(f.status()), Instant.ofEpochMilli(f.endMillis()));
        }
    }

    private void startRun(Row row, TrackingItem.StartRun start) {
        String experimentId = mlflow.experimentIdFor(start.experiment());
        String runId = null;
        if (row.uncertain()) {
            // An earlier send may have created the run and died before recording it: find it by its tag.
            List<Run> earlier = mlflow.searchRuns(List.of(experimentId),
                    "tags.`resnetops.job_id` = '" + row.jobId() + "'", 1);
            if (!earlier.isEmpty()) {
                runId = earlier.get(0).info().runId();
            }
        }
        if (runId == null) {
            RunInfo run = mlflow.createRun(experimentId, start.runName(), Instant.now(), start.tags());
            runId = run.runId();
        }
        List<Param> params = start.params().entrySet().stream().map(e -> new Param(e.getKey(), e.getValue())).toList();
        mlflow.logBatch(runId, List.of(), params, List.of());
        jobs.setMlflowRun(row.jobId(), experimentId, runId);
        LOG.infof("job %s: MLflow run %s (%s)", row.jobId(), runId, mlflow.runUrl(experimentId, runId));
    }

    private void logMetrics(String runId, TrackingItem.Metrics m, boolean uncertain) {
        List<TrackingItem.Point> points = m.points();
        if (uncertain) {
            List<TrackingItem.Point> missing = new ArrayList<>();
            for (TrackingItem.Point p : points) {
                Set<Long> steps = new HashSet<>();
                mlflow.metricHistory(runId, p.key()).forEach(h -> steps.add(h.step()));
                if (!steps.contains(p.step())) {
                    missing.add(p);
                }
            }
            points = missing;
        }
        if (!points.isEmpty()) {
            mlflow.logBatch(runId, points.stream().map(p -> new Metric(p.key(), p.value(), p.timestampMillis(), p.step()))
                    .toList(), List.of(), List.<Tag>of());
        }
    }

    private void upload(String runId, TrackingItem.Artifacts a) {
        for (Map.Entry<String, String> file : a.files().entrySet()) {
            Path path = Path.of(file.getKey());
            if (Files.isDirectory(path)) {
                mlflow.uploadDirectory(runId, path, file.getValue());
            } else if (Files.isRegularFile(path)) {
                mlflow.uploadArtifact(runId, path, file.getValue());
            } else {
                LOG.warnf("artifact %s is gone; not uploaded", path);
            }
        }
    }

    /** The oldest unsent row of every job: rows of one job go strictly in order. */
    private List<Row> heads() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT DISTINCT ON (job_id) id, job_id, payload,"
                     + " sending_at IS NOT NULL, attempts, kind FROM tracking_outbox WHERE sent_at IS NULL"
                     + " AND parked_at IS NULL ORDER BY job_id, id LIMIT 100")) {
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    // Read in sendClaimed, not here: one unreadable row must not fail every job's round.
                    rows.add(new Row(rs.getLong(1), (UUID) rs.getObject(2), rs.getString(6), rs.getString(3),
                            rs.getBoolean(4), rs.getInt(5)));
                }
            }
        }
        return rows;
    }

    private void markSending(long id) throws SQLException {
        update("UPDATE tracking_outbox SET sending_at = coalesce(sending_at, now()), last_error = ? WHERE id = ?",
                id, null);
    }

    private void markSent(long id) throws SQLException {
        update("UPDATE tracking_outbox SET sent_at = now(), last_error = ? WHERE id = ?", id, null);
    }

    /** Keeps the error on the row; {@code counts} when it is a permanent failure, one of the row's attempts. */
    private void recordError(long id, String error, boolean counts) throws SQLException {
        update(counts ? "UPDATE tracking_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?"
                : "UPDATE tracking_outbox SET last_error = ? WHERE id = ?", id, error);
    }

    /** Runs one of the updates above: each takes the error text (or null) and the row id. */
    private void update(String sql, long id, String error) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement u = c.prepareStatement(sql)) {
            u.setString(1, error);
            u.setLong(2, id);
            u.executeUpdate();
        }
    }
}
