package dev.resnetops.inference.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads {@code model_integrity}, the one table inference reads in PostgreSQL (the evaluator writes it in
 * the transaction that records a version; migrations/V6__model_integrity.sql).
 */
@ApplicationScoped
public class ModelIntegrityRecords {

    private final AgroalDataSource dataSource;

    ModelIntegrityRecords(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The record of {@code model}'s {@code version}; empty when the evaluator recorded none.
     *
     * @throws IllegalStateException PostgreSQL cannot be read (the caller keeps what it serves and asks again)
     */
    public Optional<RecordedOnnx> find(String model, int version) {
        String sql = "SELECT onnx_sha256, onnx_size_bytes, job_id, recorded_at FROM model_integrity"
                + " WHERE registered_model = ? AND version = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, model);
            q.setInt(2, version);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RecordedOnnx(model, version, rs.getString(1), rs.getLong(2),
                        (UUID) rs.getObject(3), rs.getObject(4, OffsetDateTime.class).toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the integrity record of " + model + " version " + version
                    + " from PostgreSQL (model_integrity): " + e.getMessage(), e);
        }
    }
}
