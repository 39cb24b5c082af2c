package dev.resnetops.store.models;

import dev.resnetops.store.ActiveTransaction;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The one writer of {@code model_versions} and {@code model_integrity} (the evaluator registers them) and
 * {@code model_aliases} (the evaluator moves {@value ModelAliasRule#CANDIDATE}, promotion moves the others),
 * in the caller's transaction. Versions and their integrity records are never changed once written; an
 * alias moves only as {@link ModelAliasRule} allows.
 */
@ApplicationScoped
public class ModelStore {

    private final AgroalDataSource dataSource;
    private final ActiveTransaction transaction;

    ModelStore(AgroalDataSource dataSource, ActiveTransaction transaction) {
        this.dataSource = dataSource;
        this.transaction = transaction;
    }

    /**
     * Records a version and, in the same transaction, its ONNX file's SHA-256 and size in the append-only
     * {@code model_integrity}, the record inference checks a downloaded file against: a version is never
     * recorded without it.
     */
    public void insertVersion(NewModelVersion v) {
        transaction.require("recording model version " + v.registeredModel() + " v" + v.version());
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
        recordIntegrity(v);
    }

    private void recordIntegrity(NewModelVersion v) {
        String sql = "INSERT INTO model_integrity (registered_model, version, onnx_sha256, onnx_size_bytes, job_id)"
                + " VALUES (?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            insert.setString(1, v.registeredModel());
            insert.setInt(2, v.version());
            insert.setString(3, v.onnxSha256());
            insert.setLong(4, v.onnxSizeBytes());
            insert.setObject(5, v.jobId());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the ONNX file's SHA-256 of model version "
                    + v.registeredModel() + " v" + v.version() + " of job " + v.jobId(), e);
        }
    }

    /**
     * Points {@code alias} of {@code model} at its {@code version}, holding that version's row until the
     * transaction ends.
     *
     * @throws dev.resnetops.store.TransitionRefusedException when {@link ModelAliasRule} does not allow it
     */
    public void moveAlias(String model, String alias, int version) {
        transaction.require("moving alias " + alias + " of " + model);
        AliasTarget target = ModelAliasRule.check(model, alias, version, lockVersion(model, version));
        String sql = "INSERT INTO model_aliases (registered_model, alias, model_version_id) VALUES (?, ?, ?)"
                + " ON CONFLICT (registered_model, alias) DO UPDATE SET model_version_id = EXCLUDED.model_version_id,"
                + " updated_at = now()";
        try (Connection c = dataSource.getConnection(); PreparedStatement upsert = c.prepareStatement(sql)) {
            upsert.setString(1, model);
            upsert.setString(2, alias);
            upsert.setObject(3, target.rowId());
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot move alias " + alias + " of " + model, e);
        }
    }

    private Optional<AliasTarget> lockVersion(String model, int version) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT id, parity_passed"
                     + " FROM model_versions WHERE registered_model = ? AND version = ? FOR SHARE")) {
            q.setString(1, model);
            q.setInt(2, version);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new AliasTarget((UUID) rs.getObject(1), rs.getBoolean(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read version " + version + " of " + model, e);
        }
    }
}
