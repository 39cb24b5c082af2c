package dev.resnetops.evaluator.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The evaluator's own reads and its one table, {@code job_evaluations}. Writes join the caller's
 * transaction (Agroal enlists the connection), so the job's evaluation commits together with the model
 * version and alias (the platform store's {@code ModelStore}), the outbox message and the inbox row.
 */
@ApplicationScoped
public class EvaluationStore {

    private final AgroalDataSource dataSource;

    EvaluationStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<JobToEvaluate> job(UUID jobId) {
        String sql = "SELECT j.state, j.model, j.experiment, j.mlflow_run_id, j.dataset_id, d.name,"
                + " j.dataset_version_id, v.content_hash, v.shard_location FROM jobs j"
                + " JOIN datasets d ON d.id = j.dataset_id JOIN dataset_versions v ON v.id = j.dataset_version_id"
                + " WHERE j.id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, jobId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new JobToEvaluate(jobId, rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), (UUID) rs.getObject(5), rs.getString(6), (UUID) rs.getObject(7),
                        rs.getString(8), rs.getString(9)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read job " + jobId, e);
        }
    }

    /** The registered model and version already recorded for the job, if any. */
    public Optional<String> modelVersionOf(UUID jobId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "SELECT registered_model || ' v' || version FROM model_versions WHERE job_id = ?")) {
            q.setObject(1, jobId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the model version of job " + jobId, e);
        }
    }

    public void saveEvaluation(JobEvaluation e) {
        String sql = "INSERT INTO job_evaluations (job_id, top1, top5, top_k, loss, per_class, confusion_matrix_location,"
                + " report_location, test_images) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT (job_id) DO UPDATE"
                + " SET top1 = EXCLUDED.top1, top5 = EXCLUDED.top5, top_k = EXCLUDED.top_k, loss = EXCLUDED.loss,"
                + " per_class = EXCLUDED.per_class, confusion_matrix_location = EXCLUDED.confusion_matrix_location,"
                + " report_location = EXCLUDED.report_location, test_images = EXCLUDED.test_images, evaluated_at = now()";
        try (Connection c = dataSource.getConnection(); PreparedStatement upsert = c.prepareStatement(sql)) {
            upsert.setObject(1, e.jobId());
            upsert.setDouble(2, e.top1());
            upsert.setDouble(3, e.top5());
            upsert.setInt(4, e.topK());
            upsert.setDouble(5, e.loss());
            upsert.setString(6, e.perClassJson());
            upsert.setString(7, e.confusionMatrixLocation());
            upsert.setString(8, e.reportLocation());
            upsert.setLong(9, e.testImages());
            upsert.executeUpdate();
        } catch (SQLException ex) {
            throw new IllegalStateException("cannot record the evaluation of job " + e.jobId(), ex);
        }
    }
}
