package dev.resnetops.store.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.store.ActiveTransaction;
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
import java.util.function.IntFunction;

/**
 * The one writer of a job's state, its lease and its state history, for the orchestrator (submit,
 * cancel) and the trainer (claim, requeue, finish). Every state change locks the row, checks
 * {@link JobTransition} and its guard, then writes the row and a {@code job_state_history} entry, in the
 * caller's transaction (Agroal enlists the connection), which it insists on.
 *
 * <p>A change the rules forbid throws {@link dev.resnetops.store.TransitionRefusedException}; a guard
 * that does not hold (another worker has the lease, a cancel is pending) is an ordinary race between
 * workers and answers empty or false instead.
 */
@ApplicationScoped
public class JobStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SNAPSHOT = "SELECT state, cancel_requested_at IS NOT NULL, lease_owner,"
            + " lease_expires_at IS NULL OR lease_expires_at < now(), attempt, mlflow_run_id, experiment"
            + " FROM jobs WHERE id = ?";
    /** The end of a job's life: the lease goes, the checkpoint of the last run stays. */
    private static final String END = "UPDATE jobs SET state = ?, state_reason = ?,"
            + " checkpoint_location = coalesce(?, checkpoint_location), lease_owner = NULL, lease_expires_at = NULL,"
            + " finished_at = now(), updated_at = now() WHERE id = ? AND state = ?";

    private final AgroalDataSource dataSource;
    private final ActiveTransaction transaction;

    JobStore(AgroalDataSource dataSource, ActiveTransaction transaction) {
        this.dataSource = dataSource;
        this.transaction = transaction;
    }

    public void insertQueued(NewJob job, String reason) {
        transaction.require("submitting job " + job.id());
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (id, dataset_id, dataset_version_id,"
                     + " model, config, experiment, state, workflow_step_id) VALUES (?, ?, ?, ?, ?::jsonb, ?, 'QUEUED', ?)")) {
            insert.setObject(1, job.id());
            insert.setObject(2, job.datasetId());
            insert.setObject(3, job.datasetVersionId());
            insert.setString(4, job.model());
            insert.setString(5, JSON.writeValueAsString(job.config()));
            insert.setString(6, job.experiment());
            insert.setObject(7, job.workflowStepId());
            insert.executeUpdate();
            appendHistory(c, job.id(), JobState.QUEUED, reason);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot insert job " + job.id(), e);
        }
    }

    public Optional<JobSnapshot> snapshot(UUID jobId) {
        return read(jobId, SNAPSHOT);
    }

    /** The job's row, locked until the transaction ends, so two state changes never interleave. */
    public Optional<JobSnapshot> lock(UUID jobId) {
        transaction.require("locking job " + jobId);
        return read(jobId, SNAPSHOT + " FOR UPDATE");
    }

    /** Flags a RUNNING job for its worker to stop (it reads the flag with its heartbeat). */
    public void requestCancel(UUID jobId) {
        JobSnapshot job = locked(jobId);
        if (job.state() != JobState.RUNNING) {
            throw JobTransition.refused(jobId, job.state(), JobState.CANCELLED);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE jobs SET cancel_requested_at = now(), updated_at = now() WHERE id = ?")) {
            update.setObject(1, jobId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot flag job " + jobId + " for cancellation", e);
        }
    }

    /** QUEUED to CANCELLED: nobody has run it. */
    public void cancelQueued(UUID jobId, String reason) {
        JobTransition.CANCEL_QUEUED.check(jobId, locked(jobId).state());
        end(jobId, JobTransition.CANCEL_QUEUED, reason, null);
    }

    /** QUEUED to FAILED: a worker cannot run its command (the configuration does not decode). */
    public void reject(UUID jobId, String reason) {
        JobTransition.REJECT.check(jobId, locked(jobId).state());
        end(jobId, JobTransition.REJECT, reason, null);
    }

    /**
     * Takes the job for {@code worker} ({@link JobTransition#CLAIM} or {@link JobTransition#TAKE_OVER}) with a
     * lease of {@code lease}, and returns the new attempt number; empty when a cancel is pending or another
     * live worker holds it.
     *
     * @param reason the history entry, given the attempt number
     */
    public Optional<Integer> claim(UUID jobId, String worker, String device, Duration lease, IntFunction<String> reason) {
        JobSnapshot job = locked(jobId);
        JobTransition transition = job.state() == JobState.QUEUED ? JobTransition.CLAIM : JobTransition.TAKE_OVER;
        transition.check(jobId, job.state());
        if (job.cancelRequested() || (transition == JobTransition.TAKE_OVER && !job.leaseExpired()
                && !worker.equals(job.leaseOwner()))) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE jobs SET state = 'RUNNING', lease_owner = ?,"
                     + " lease_expires_at = now() + ?::interval, attempt = attempt + 1, worker = ?, device = ?,"
                     + " started_at = coalesce(started_at, now()), updated_at = now() WHERE id = ? RETURNING attempt")) {
            update.setString(1, worker);
            update.setString(2, interval(lease));
            update.setString(3, worker);
            update.setString(4, device);
            update.setObject(5, jobId);
            int attempt;
            try (ResultSet rs = update.executeQuery()) {
                rs.next();
                attempt = rs.getInt(1);
            }
            appendHistory(c, jobId, JobState.RUNNING, reason.apply(attempt));
            return Optional.of(attempt);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim job " + jobId, e);
        }
    }

    /**
     * Extends the lease; false when the job is no longer this worker's (taken over or finished). Not a
     * state change, so no lock and no transaction: one conditional update from the heartbeat thread.
     */
    public boolean renewLease(UUID jobId, String worker, Duration lease) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE jobs SET lease_expires_at = now() + ?::interval"
                     + " WHERE id = ? AND lease_owner = ? AND state = 'RUNNING'")) {
            update.setString(1, interval(lease));
            update.setObject(2, jobId);
            update.setString(3, worker);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot renew the lease of job " + jobId, e);
        }
    }

    /**
     * Locks up to {@code limit} RUNNING jobs whose lease has expired (their worker died), skipping rows
     * another reaper holds, for the transaction that requeues or cancels them.
     */
    public List<ExpiredLease> lockExpired(int limit) {
        return lockExpired(limit, Duration.ZERO);
    }

    /**
     * As {@link #lockExpired(int)}, but nothing within {@code afterRestart} of the database server's start:
     * while PostgreSQL was down no worker could renew its lease, so every lease that lapsed meanwhile says
     * nothing about its worker. Given one lease duration after a restart, live workers renew theirs and go
     * on with their jobs; only the dead ones' jobs are requeued, that much later.
     */
    public List<ExpiredLease> lockExpired(int limit, Duration afterRestart) {
        transaction.require("reaping expired leases");
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT id, lease_owner, cancel_requested_at IS NOT NULL"
                     + " FROM jobs WHERE state = 'RUNNING' AND lease_expires_at < now()"
                     + " AND now() >= pg_postmaster_start_time() + ?::interval"
                     + " ORDER BY lease_expires_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            q.setString(1, interval(afterRestart));
            q.setInt(2, limit);
            List<ExpiredLease> expired = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    expired.add(new ExpiredLease((UUID) rs.getObject(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
            return expired;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look for expired leases", e);
        }
    }

    /**
     * {@link JobTransition#REQUEUE}: back to QUEUED without a lease or progress, and the StartTraining that
     * dispatches it again, for the caller to append to the outbox in the same transaction. Empty when
     * {@code holder} no longer holds the lease.
     */
    public Optional<StartTraining> requeue(UUID jobId, String holder, String reason) {
        JobSnapshot job = locked(jobId);
        JobTransition.REQUEUE.check(jobId, job.state());
        if (!holder.equals(job.leaseOwner())) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE jobs SET state = 'QUEUED', lease_owner = NULL,"
                     + " lease_expires_at = NULL, progress = NULL, updated_at = now() WHERE id = ?");
             PreparedStatement command = c.prepareStatement("SELECT j.dataset_version_id, v.shard_location, j.config,"
                     + " j.experiment FROM jobs j JOIN dataset_versions v ON v.id = j.dataset_version_id"
                     + " WHERE j.id = ?")) {
            update.setObject(1, jobId);
            update.executeUpdate();
            appendHistory(c, jobId, JobState.QUEUED, reason);
            command.setObject(1, jobId);
            try (ResultSet rs = command.executeQuery()) {
                rs.next();
                return Optional.of(StartTraining.of(jobId, (UUID) rs.getObject(1), rs.getString(2),
                        JSON.readTree(rs.getString(3)), rs.getString(4)));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot requeue job " + jobId, e);
        }
    }

    /**
     * Ends {@code holder}'s run with {@code outcome} (COMPLETED, FAILED or CANCELLED) and releases the
     * lease; false, with nothing written, when the lease is no longer {@code holder}'s.
     *
     * @param checkpointLocation the final checkpoint, or null to keep the one recorded
     */
    public boolean finish(UUID jobId, String holder, JobState outcome, String reason, String checkpointLocation) {
        JobTransition transition = JobTransition.endOfRun(outcome);
        JobSnapshot job = locked(jobId);
        transition.check(jobId, job.state());
        if (!holder.equals(job.leaseOwner())) {
            return false;
        }
        end(jobId, transition, reason, checkpointLocation);
        return true;
    }

    /**
     * RUNNING to CANCELLED for a job whose worker is gone (lease expired) while a cancel was pending: the
     * reaper's alternative to requeueing it. False when the lease is live again.
     */
    public boolean cancelAbandoned(UUID jobId, String reason) {
        JobSnapshot job = locked(jobId);
        JobTransition.CANCEL_RUNNING.check(jobId, job.state());
        if (!job.leaseExpired()) {
            return false;
        }
        end(jobId, JobTransition.CANCEL_RUNNING, reason, null);
        return true;
    }

    /** Writes a final state the caller has checked under the row's lock. */
    private void end(UUID jobId, JobTransition transition, String reason, String checkpointLocation) {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(END)) {
            update.setString(1, transition.to().name());
            update.setString(2, reason);
            update.setString(3, checkpointLocation);
            update.setObject(4, jobId);
            update.setString(5, transition.from().name());
            update.executeUpdate();
            appendHistory(c, jobId, transition.to(), reason);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot move job " + jobId + " to " + transition.to(), e);
        }
    }

    private JobSnapshot locked(UUID jobId) {
        return lock(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId + " in the database"));
    }

    private Optional<JobSnapshot> read(UUID jobId, String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, jobId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new JobSnapshot(JobState.valueOf(rs.getString(1)), rs.getBoolean(2), rs.getString(3),
                        rs.getBoolean(4), rs.getInt(5), rs.getString(6), rs.getString(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read job " + jobId, e);
        }
    }

    private static void appendHistory(Connection c, UUID jobId, JobState state, String reason) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO job_state_history (job_id, state, reason) VALUES (?, ?, ?)")) {
            insert.setObject(1, jobId);
            insert.setString(2, state.name());
            insert.setString(3, reason);
            insert.executeUpdate();
        }
    }

    private static String interval(Duration lease) {
        return lease.toMillis() + " milliseconds";
    }
}
