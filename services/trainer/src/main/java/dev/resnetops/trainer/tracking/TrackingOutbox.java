package dev.resnetops.trainer.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.trainer.config.TrainerConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
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
    private final TrainerConfig config;

    TrackingOutbox(AgroalDataSource dataSource, ObjectMapper json, TrainerConfig config) {
        this.dataSource = dataSource;
        this.json = json;
        this.config = config;
    }

    /**
     * @throws IllegalArgumentException when the item is larger than {@code mlops.trainer.tracking-max-row-bytes};
     *                                  nothing is written
     */
    public void append(UUID jobId, TrackingItem item) {
        String payload;
        try {
            payload = json.writeValueAsString(item);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot queue " + item.kind() + " for MLflow (job " + jobId + ")", e);
        }
        int size = payload.getBytes(StandardCharsets.UTF_8).length;
        if (size > config.trackingMaxRowBytes()) {
            throw new IllegalArgumentException("job " + jobId + ": the " + item.kind() + " for MLflow is " + size
                    + " bytes, more than the tracking outbox's limit of " + config.trackingMaxRowBytes() + " bytes"
                    + " (mlops.trainer.tracking-max-row-bytes): MLflow would refuse it or choke on it; log fewer or"
                    + " shorter values (parameters, tags, metric keys) in one item");
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO tracking_outbox (job_id, kind, payload) VALUES (?, ?, ?::jsonb)")) {
            insert.setObject(1, jobId);
            insert.setString(2, item.kind());
            insert.setString(3, payload);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot queue " + item.kind() + " for MLflow (job " + jobId + ")", e);
        }
    }
}
