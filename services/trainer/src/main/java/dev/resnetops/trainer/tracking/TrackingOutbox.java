package dev.resnetops.trainer.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Records what MLflow must be told about a job, in the caller's transaction, for the
 * {@link TrackingRelay} to send. Training never waits for MLflow and never loses what it could not send.
 */
@ApplicationScoped
public class TrackingOutbox {

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    TrackingOutbox(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public void append(UUID jobId, TrackingItem item) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO tracking_outbox (job_id, kind, payload) VALUES (?, ?, ?::jsonb)")) {
            insert.setObject(1, jobId);
            insert.setString(2, item.kind());
            insert.setString(3, json.writeValueAsString(item));
            insert.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot queue " + item.kind() + " for MLflow (job " + jobId + ")", e);
        }
    }
}
