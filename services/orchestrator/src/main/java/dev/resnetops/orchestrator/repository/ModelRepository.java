package dev.resnetops.orchestrator.repository;

import dev.resnetops.contracts.api.ModelVersionView;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Registered model versions and their aliases as the API and the workflow engine read them. Read-only:
 * the evaluator writes versions and promotion moves aliases through the platform store's {@code ModelStore}.
 */
@ApplicationScoped
public class ModelRepository {

    private static final String SELECT = "SELECT m.id, m.registered_model, m.version, m.job_id, m.dataset_version_id,"
            + " m.top1, m.top5, m.parity_passed, m.parity_report, m.onnx_location, m.onnx_sha256, m.created_at,"
            + " coalesce((SELECT array_agg(a.alias ORDER BY a.alias) FROM model_aliases a"
            + " WHERE a.model_version_id = m.id), '{}') AS aliases FROM model_versions m ";

    private final AgroalDataSource dataSource;
    private final JsonColumns json;

    ModelRepository(AgroalDataSource dataSource, JsonColumns json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Every version, newest first, optionally of one registered model. */
    public List<ModelVersionView> list(Optional<String> model) {
        String sql = SELECT + (model.isPresent() ? "WHERE m.registered_model = ? " : "")
                + "ORDER BY m.registered_model, m.version DESC";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            if (model.isPresent()) {
                q.setString(1, model.get());
            }
            List<ModelVersionView> versions = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    versions.add(map(rs));
                }
            }
            return versions;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list model versions", e);
        }
    }

    public Optional<ModelVersionView> find(String model, int version) {
        return one(SELECT + "WHERE m.registered_model = ? AND m.version = ?", model, version);
    }

    public Optional<ModelVersionView> byAlias(String model, String alias) {
        return one(SELECT + "JOIN model_aliases x ON x.model_version_id = m.id"
                + " WHERE m.registered_model = ? AND x.alias = ?", model, alias);
    }

    /** The version the evaluator registered for a job, if it has. */
    public Optional<ModelVersionView> byJob(UUID jobId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(SELECT + "WHERE m.job_id = ?")) {
            q.setObject(1, jobId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the model version of job " + jobId, e);
        }
    }

    private Optional<ModelVersionView> one(String sql, String model, Object second) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, model);
            q.setObject(2, second);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read model versions of " + model, e);
        }
    }

    private ModelVersionView map(ResultSet rs) throws SQLException {
        List<String> aliases = List.of((String[]) rs.getArray("aliases").getArray());
        return new ModelVersionView(rs.getString("registered_model"), rs.getInt("version"),
                (UUID) rs.getObject("job_id"), (UUID) rs.getObject("dataset_version_id"), nullable(rs, "top1"),
                nullable(rs, "top5"), rs.getBoolean("parity_passed"), json.tree(rs.getString("parity_report")),
                rs.getString("onnx_location"), rs.getString("onnx_sha256"), aliases,
                rs.getTimestamp("created_at").toInstant());
    }

    private static Double nullable(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
