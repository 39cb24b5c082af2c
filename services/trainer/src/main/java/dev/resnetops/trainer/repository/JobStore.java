package dev.resnetops.trainer.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.StartTraining;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The job rows as a worker sees them: claiming with a lease, renewing it, and the state changes of a
 * run. Every method runs in the caller's transaction when there is one.
 */
@ApplicationScoped
public class JobStore {

    /** What a worker needs to know about a job before it starts. */
    public record Snapshot(JobState state, boolean cancelRequested, String leaseOwner, boolean leaseExpired,
                           int attempt, String mlflowRunId, String experiment) {
    }

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    JobStore(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public Optional<Snapshot> snapshot(UUID jobId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT state, cancel_requested_at IS NOT NULL, lease_owner,"
                     + " lease_expires_at IS NULL OR lease_expires_at < now(), attempt, mlflow_run_id, experiment"
                     + " FROM jobs WHERE id = ?")) {
            q.setObject(1, jobId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Snapshot(JobState.valueOf(rs.getString(1)), rs.getBoolean(2), rs.getString(3),
                        rs.getBoolean(4), rs.getInt(5), rs.getString(6), rs.getString(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read job " + jobId, e);
        }
    }

    /**
     * Takes the job for {@code worker}: a QUEUED job, or a RUNNING one whose lease expired (its worker
     * died) or that this worker already holds (a redelivery to the same process). Returns the new
     * attempt number, or empty when another live worker has it or it is finished.
     */
    public Optional<Integer> claim(UUID jobId, String worker, String device, Duration lease) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE jobs SET state = 'RUNNING', lease_owner = ?,"
                     + " lease_expires_at = now() + ?::interval, attempt = attempt + 1, worker = ?, device = ?,"
                     + " started_at = coalesce(started_at, now()), updated_at = now()"
                     + " WHERE id = ? AND cancel_requested_at IS NULL AND (state = 'QUEUED' OR (state = 'RUNNING'"
                     + " AND (lease_expires_at IS NULL OR lease_expires_at < now() OR lease_owner = ?)))"
                     + " RETURNING attempt")) {
            update.setString(1, worker);
            update.setString(2, lease.toMillis() + " milliseconds");
            update.setString(3, worker);
            update.setString(4, device);
            update.setObject(5, jobId);
            update.setString(6, worker);
            try (ResultSet rs = update.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim job " + jobId, e);
        }
    }

    /** Extends the lease; false when the job is no longer this worker's (taken over or finished). */
    public boolean renewLease(UUID jobId, String worker, Duration lease) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE jobs SET lease_expires_at = now() + ?::interval"
                     + " WHERE id = ? AND lease_owner = ? AND state = 'RUNNING'")) {
            update.setString(1, lease.toMillis() + " milliseconds");
            update.setObject(2, jobId);
            update.setString(3, worker);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot renew the lease of job " + jobId, e);
        }
    }

    /** A RUNNING job whose worker stopped renewing its lease. */
    public record Expired(UUID jobId, String worker, boolean cancelRequested) {
    }

    /**
     * Locks up to {@code limit} RUNNING jobs whose lease has expired (their worker died), skipping rows
     * another reaper holds; call inside the transaction that requeues them.
     */
    public List<Expired> lockExpired(int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT id, lease_owner, cancel_requested_at IS NOT NULL"
                     + " FROM jobs WHERE state = 'RUNNING' AND lease_expires_at < now()"
                     + " ORDER BY lease_expires_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            q.setInt(1, limit);
            List<Expired> expired = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    expired.add(new Expired((UUID) rs.getObject(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
            return expired;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look for expired leases", e);
        }
    }

    /**
     * Puts a RUNNING job back to QUEUED without a lease (its worker shut down or died) and returns the
     * StartTraining command that dispatches it again; the caller appends it to the outbox in the same
     * transaction. Empty if {@code worker} no longer holds it.
     */
    public Optional<StartTraining> requeue(UUID jobId, String worker, String reason) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE jobs SET state = 'QUEUED', lease_owner = NULL,"
                     + " lease_expires_at = NULL, progress = NULL, updated_at = now() WHERE id = ? AND lease_owner = ?"
                     + " AND state = 'RUNNING'");
             PreparedStatement command = c.prepareStatement("SELECT j.dataset_version_id, v.shard_location, j.config,"
                     + " j.experiment FROM jobs j JOIN dataset_versions v ON v.id = j.dataset_version_id"
                     + " WHERE j.id = ?")) {
            update.setObject(1, jobId);
            update.setString(2, worker);
            if (update.executeUpdate() != 1) {
                return Optional.empty();
            }
            appendHistory(jobId, JobState.QUEUED, reason);
            command.setObject(1, jobId);
            try (ResultSet rs = command.executeQuery()) {
                rs.next();
                return Optional.of(StartTraining.of(jobId, (UUID) rs.getObject(1), rs.getString(2),
                        json.readTree(rs.getString(3)), rs.getString(4)));
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot requeue job " + jobId, e);
        }
    }

    public boolean cancelRequested(UUID jobId) {
        return snapshot(jobId).map(Snapshot::cancelRequested).orElse(true);
    }

    public void appendHistory(UUID jobId, JobState state, String reason) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO job_state_history (job_id, state, reason) VALUES (?, ?, ?)")) {
            insert.setObject(1, jobId);
            insert.setString(2, state.name());
            insert.setString(3, reason);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the history of job " + jobId, e);
        }
    }

    /** Moves a job this worker holds to a terminal state and releases the lease. */
    public void finish(UUID jobId, JobState state, String reason, String checkpointLocation) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE jobs SET state = ?, state_reason = ?,"
                     + " checkpoint_location = coalesce(?, checkpoint_location), lease_owner = NULL,"
                     + " lease_expires_at = NULL, finished_at = now(), updated_at = now() WHERE id = ?")) {
            update.setString(1, state.name());
            update.setString(2, reason);
            update.setString(3, checkpointLocation);
            update.setObject(4, jobId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot finish job " + jobId, e);
        }
        appendHistory(jobId, state, reason);
    }

    /** A finished epoch; replaying the same epoch (after a resume) changes nothing. Returns true if new. */
    public boolean recordEpoch(UUID jobId, int epoch, double trainLoss, double learningRate, Double top1, Double top5,
                               Double valLoss, double imagesPerSecond, double seconds) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO job_epoch_metrics (job_id, epoch, train_loss,"
                     + " learning_rate, val_top1, val_top5, val_loss, images_per_second, epoch_seconds)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, epoch) DO NOTHING")) {
            insert.setObject(1, jobId);
            insert.setInt(2, epoch);
            insert.setDouble(3, trainLoss);
            insert.setDouble(4, learningRate);
            insert.setObject(5, top1);
            insert.setObject(6, top5);
            insert.setObject(7, valLoss);
            insert.setDouble(8, imagesPerSecond);
            insert.setDouble(9, seconds);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record epoch " + epoch + " of job " + jobId, e);
        }
    }

    public void updateProgress(UUID jobId, String progressJson) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE jobs SET progress = ?::jsonb, updated_at = now() WHERE id = ?")) {
            update.setString(1, progressJson);
            update.setObject(2, jobId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the progress of job " + jobId, e);
        }
    }

    public void setMlflowRun(UUID jobId, String experimentId, String runId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE jobs SET mlflow_experiment_id = ?, mlflow_run_id = ? WHERE id = ?")) {
            update.setString(1, experimentId);
            update.setString(2, runId);
            update.setObject(3, jobId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the MLflow run of job " + jobId, e);
        }
    }
}
