package dev.resnetops.ingestion.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.api.Problem;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code datasets} and {@code dataset_versions} rows ingestion reads and writes, in plain JDBC.
 * Flyway owns the schema (migrations module); JSONB columns are written as text cast with {@code ::jsonb}.
 *
 * <p>Writes join the caller's JTA transaction: Agroal hands out the transaction's connection.
 */
@ApplicationScoped
public class DatasetRepository {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgroalDataSource dataSource;

    DatasetRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The dataset's status (INGESTING, READY, FAILED), or empty when the row does not exist. */
    public Optional<String> status(UUID datasetId) {
        return queryOne("SELECT status FROM datasets WHERE id = ?", datasetId, rs -> rs.getString(1));
    }

    public Optional<StoredVersion> versionByHash(String contentHash) {
        return queryOne("SELECT id, shard_location FROM dataset_versions WHERE content_hash = ?", contentHash,
                rs -> new StoredVersion((UUID) rs.getObject(1), rs.getString(2)));
    }

    /**
     * Inserts the version unless one with the same content hash exists (a concurrent or earlier import of
     * the same content), and returns the id of the row that is there now.
     */
    public UUID insertVersion(NewDatasetVersion v) {
        String sql = "INSERT INTO dataset_versions (id, content_hash, source_format, classes, counts, class_counts,"
                + " channels, height, width, mean, std, shard_location, quarantine)"
                + " VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::jsonb)"
                + " ON CONFLICT (content_hash) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            int i = 1;
            insert.setObject(i++, UUID.randomUUID());
            insert.setString(i++, v.contentHash());
            insert.setString(i++, v.sourceFormat());
            insert.setString(i++, json(v.classes()));
            insert.setString(i++, json(v.counts()));
            insert.setString(i++, json(v.classCounts()));
            insert.setInt(i++, v.channels());
            insert.setInt(i++, v.height());
            insert.setInt(i++, v.width());
            insert.setString(i++, json(v.mean()));
            insert.setString(i++, json(v.std()));
            insert.setString(i++, v.shardLocation());
            insert.setString(i, json(v.quarantine()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert dataset version " + v.contentHash(), e);
        }
        return versionByHash(v.contentHash()).map(StoredVersion::id).orElseThrow(() -> new IllegalStateException(
                "dataset version " + v.contentHash() + " vanished right after its insert"));
    }

    /**
     * Marks the dataset READY on {@code versionId}. Creates the row if the orchestrator has not (a command
     * sent by hand); changes nothing if the dataset already finished. Returns whether a row changed.
     */
    public boolean markReady(UUID datasetId, String name, String source, UUID versionId, List<Problem> problems) {
        return finish(datasetId, name, source, "READY", versionId, null, problems);
    }

    /** Marks the dataset FAILED with {@code error}; same row rules as {@link #markReady}. */
    public boolean markFailed(UUID datasetId, String name, String source, String error) {
        return finish(datasetId, name, source, "FAILED", null, error, List.of());
    }

    private boolean finish(UUID datasetId, String name, String source, String status, UUID versionId, String error,
                           List<Problem> problems) {
        String sql = "INSERT INTO datasets (id, name, source, status, version_id, error, problems)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)"
                + " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, version_id = EXCLUDED.version_id,"
                + " error = EXCLUDED.error, problems = EXCLUDED.problems, updated_at = now()"
                + " WHERE datasets.status = 'INGESTING'";
        try (Connection c = dataSource.getConnection(); PreparedStatement upsert = c.prepareStatement(sql)) {
            upsert.setObject(1, datasetId);
            upsert.setString(2, name);
            upsert.setString(3, source);
            upsert.setString(4, status);
            upsert.setObject(5, versionId);
            upsert.setString(6, error);
            upsert.setString(7, json(problems));
            return upsert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot mark dataset " + datasetId + " " + status, e);
        }
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> Optional<T> queryOne(String sql, Object parameter, RowMapper<T> mapper) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot query: " + sql, e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
