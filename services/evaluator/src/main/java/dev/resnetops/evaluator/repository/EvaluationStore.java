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
 * The evaluator's reads and writes in PostgreSQL. Writes join the caller's transaction (Agroal enlists
 * the connection), so a model version, its alias, the job's evaluation, the outbox message and the
 * inbox row commit together or not at all.
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

    /**
     * Locks the job's row until the transaction ends, so two evaluator instances that got the same job
     * (a rebalance mid-evaluation) record it one after the other and the second sees the first's row.
     */
    public void lockJob(UUID jobId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT 1 FROM jobs WHERE id = ? FOR UPDATE")) {
            q.setObject(1, jobId);
            q.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock job " + jobId, e);
        }
    }

    public void insertModelVersion(NewModelVersion v) {
        String sql = "INSERT INTO model_versions (id, registered_model, version, job_id, dataset_version_id,"
                + " onnx_location, onnx_sha256, checkpoint_sha256, parity_passed, parity_report, top1, top5,"
                + " mlflow_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            insert.setObject(1, v.id());
            insert.setString(2, v.registeredModel());
            insert.setInt(3, v.version());
            insert.setObject(4, v.jobId());
            insert.setObject(5, v.datasetVersionId());
            insert.setString(6, v.onnxLocation());
            insert.setString(7, v.onnxSha256());
            insert.setString(8, v.checkpointSha256());
            insert.setBoolean(9, v.parityPassed());
            insert.setString(10, v.parityReportJson());
            insert.setDouble(11, v.top1());
            insert.setDouble(12, v.top5());
            insert.setString(13, Integer.toString(v.version()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record model version " + v.registeredModel() + " v" + v.version()
                    + " of job " + v.jobId(), e);
        }
    }

    /** Points {@code alias} of {@code registeredModel} at the model version row {@code modelVersionId}. */
    public void moveAlias(String registeredModel, String alias, UUID modelVersionId) {
        String sql = "INSERT INTO model_aliases (registered_model, alias, model_version_id) VALUES (?, ?, ?)"
                + " ON CONFLICT (registered_model, alias) DO UPDATE SET model_version_id = EXCLUDED.model_version_id,"
                + " updated_at = now()";
        try (Connection c = dataSource.getConnection(); PreparedStatement upsert = c.prepareStatement(sql)) {
            upsert.setString(1, registeredModel);
            upsert.setString(2, alias);
            upsert.setObject(3, modelVersionId);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot move alias " + alias + " of " + registeredModel, e);
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
