package dev.resnetops.orchestrator.repository;

import dev.resnetops.contracts.api.EpochMetricsView;
import dev.resnetops.contracts.api.JobRun;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobStateChange;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.Page;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Training jobs as the API shows them: views with their state history and per-epoch metrics, listings.
 * Read-only: every write to a job goes through the platform store's {@code JobStore}.
 */
@ApplicationScoped
public class JobRepository {

    /** A job's test-set Top-1 and Top-5 as fractions. */
    public record Evaluation(double top1, double top5) {
    }

    private static final String SELECT = "SELECT j.id, j.dataset_id, j.dataset_version_id, j.model, j.state,"
            + " j.state_reason, j.cancel_requested_at, j.config, j.experiment, j.created_at, j.updated_at,"
            + " j.worker, j.device, j.attempt, j.progress, j.mlflow_experiment_id, j.mlflow_run_id,"
            + " j.checkpoint_location,"
            + " m.epoch, m.train_loss, m.learning_rate, m.val_top1, m.val_top5, m.val_loss, m.images_per_second,"
            + " m.epoch_seconds, m.recorded_at"
            + " FROM jobs j LEFT JOIN LATERAL (SELECT * FROM job_epoch_metrics e WHERE e.job_id = j.id"
            + " ORDER BY e.epoch DESC LIMIT 1) m ON true ";

    private final AgroalDataSource dataSource;
    private final JsonColumns json;

    JobRepository(AgroalDataSource dataSource, JsonColumns json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** The test-set numbers the evaluator recorded for a job, if it has. */
    public Optional<Evaluation> evaluation(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT top1, top5 FROM job_evaluations WHERE job_id = ?")) {
            q.setObject(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new Evaluation(rs.getDouble(1), rs.getDouble(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the evaluation of job " + id, e);
        }
    }

    public Optional<JobView> find(UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(SELECT + "WHERE j.id = ?")) {
            q.setObject(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(map(rs, history(c, id))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read job " + id, e);
        }
    }

    /** Every finished epoch of a job, in order; empty for an unknown job (the caller checks existence). */
    public List<EpochMetricsView> metrics(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT epoch, train_loss, learning_rate, val_top1, val_top5,"
                     + " val_loss, images_per_second, epoch_seconds, recorded_at FROM job_epoch_metrics"
                     + " WHERE job_id = ? ORDER BY epoch")) {
            q.setObject(1, id);
            List<EpochMetricsView> epochs = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    epochs.add(epochMetrics(rs));
                }
            }
            return epochs;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the metrics of job " + id, e);
        }
    }

    /** Newest first. Listings leave out each job's history (GET /jobs/{id} has it) to stay one query. */
    public Page<JobView> list(Optional<JobState> state, int page, int size) {
        String where = state.isPresent() ? "WHERE j.state = ? " : "";
        try (Connection c = dataSource.getConnection()) {
            return PageQuery.fetch(c, "SELECT count(*) FROM jobs j " + where,
                    SELECT + where + "ORDER BY j.created_at DESC, j.id LIMIT ? OFFSET ?",
                    state.map(JobState::name).stream().toList(), page, size, rs -> map(rs, List.of()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list jobs", e);
        }
    }

    private static List<JobStateChange> history(Connection c, UUID id) throws SQLException {
        List<JobStateChange> history = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT state, reason, at FROM job_state_history WHERE job_id = ? ORDER BY id")) {
            q.setObject(1, id);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    history.add(new JobStateChange(JobState.valueOf(rs.getString(1)), rs.getString(2),
                            rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return history;
    }

    private JobView map(ResultSet rs, List<JobStateChange> history) throws SQLException {
        rs.getInt("epoch");
        EpochMetricsView latest = rs.wasNull() ? null : epochMetrics(rs);
        return new JobView((UUID) rs.getObject("id"), (UUID) rs.getObject("dataset_id"),
                (UUID) rs.getObject("dataset_version_id"), rs.getString("model"), JobState.valueOf(rs.getString("state")),
                rs.getString("state_reason"), rs.getTimestamp("cancel_requested_at") != null,
                json.tree(rs.getString("config")), rs.getString("experiment"), history, latest,
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")), run(rs));
    }

    private JobRun run(ResultSet rs) throws SQLException {
        String worker = rs.getString("worker");
        if (worker == null) {
            return null;
        }
        return new JobRun(worker, rs.getString("device"), rs.getInt("attempt"), json.tree(rs.getString("progress")),
                rs.getString("mlflow_experiment_id"), rs.getString("mlflow_run_id"), rs.getString("checkpoint_location"));
    }

    private static EpochMetricsView epochMetrics(ResultSet rs) throws SQLException {
        return new EpochMetricsView(rs.getInt("epoch"), rs.getDouble("train_loss"), rs.getDouble("learning_rate"),
                nullableDouble(rs, "val_top1"), nullableDouble(rs, "val_top5"), nullableDouble(rs, "val_loss"),
                rs.getDouble("images_per_second"), rs.getDouble("epoch_seconds"), instant(rs.getTimestamp("recorded_at")));
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
