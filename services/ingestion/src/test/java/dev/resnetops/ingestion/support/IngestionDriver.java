package dev.resnetops.ingestion.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.contracts.messages.MessageCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Plays the orchestrator's part in the tests: inserts the dataset row in INGESTING state, sends the
 * command to Kafka, then reads what ingestion wrote, with plain JDBC.
 */
public final class IngestionDriver {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration FINISH_TIMEOUT = Duration.ofSeconds(90);

    public record DatasetRow(String status, String error, UUID versionId, JsonNode problems) {
    }

    public record VersionRow(UUID id, String contentHash, JsonNode counts, JsonNode classCounts, JsonNode classes,
                             String shardLocation, JsonNode quarantine) {
    }

    private final DataSource dataSource;

    public IngestionDriver(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts the INGESTING row and sends the command, as the orchestrator does. */
    public IngestDataset submit(String name, String source) {
        IngestDataset command = IngestDataset.of(UUID.randomUUID(), name, source);
        insertIngesting(command);
        send(command);
        return command;
    }

    public void insertIngesting(IngestDataset command) {
        update("INSERT INTO datasets (id, name, source, status) VALUES (?, ?, ?, 'INGESTING')",
                command.datasetId(), command.name(), command.source());
    }

    public RecordMetadata send(IngestDataset command) {
        return KafkaTestClient.send(Topics.DATASET_COMMANDS, command.key(), MessageCodec.toJson(command));
    }

    public DatasetRow awaitFinished(UUID datasetId) {
        return Await.value("dataset " + datasetId + " to leave INGESTING", FINISH_TIMEOUT, () -> {
            DatasetRow row = dataset(datasetId);
            return row != null && !row.status().equals("INGESTING") ? row : null;
        });
    }

    public DatasetRow dataset(UUID datasetId) {
        return queryOne("SELECT status, error, version_id, problems::text FROM datasets WHERE id = ?",
                rs -> new DatasetRow(rs.getString(1), rs.getString(2), (UUID) rs.getObject(3), json(rs.getString(4))),
                datasetId);
    }

    public VersionRow version(UUID versionId) {
        return queryOne("SELECT id, content_hash, counts::text, class_counts::text, classes::text, shard_location,"
                        + " quarantine::text FROM dataset_versions WHERE id = ?",
                rs -> new VersionRow((UUID) rs.getObject(1), rs.getString(2), json(rs.getString(3)),
                        json(rs.getString(4)), json(rs.getString(5)), rs.getString(6), json(rs.getString(7))),
                versionId);
    }

    public long count(String sql, Object... parameters) {
        return queryOne(sql, rs -> rs.getLong(1), parameters);
    }

    private void update(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> T queryOne(String sql, Mapper<T> mapper, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? mapper.map(rs) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }
}
