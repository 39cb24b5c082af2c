package dev.resnetops.store.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.Problem;
import dev.resnetops.store.ActiveTransaction;
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
 * The one writer of the {@code datasets} and {@code dataset_versions} rows: the orchestrator registers a
 * source, ingestion records the version and the outcome. Status changes lock the row and check
 * {@link DatasetTransition} in the caller's transaction, which they insist on; versions are immutable
 * and identified by their content hash. JSONB columns are written as text cast with {@code ::jsonb}.
 */
@ApplicationScoped
public class DatasetStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgroalDataSource dataSource;
    private final ActiveTransaction transaction;

    DatasetStore(AgroalDataSource dataSource, ActiveTransaction transaction) {
        this.dataSource = dataSource;
        this.transaction = transaction;
    }

    /** {@link DatasetTransition#REGISTER}: a new registration of {@code source}, INGESTING. */
    public void register(UUID id, String name, String source) {
        transaction.require("registering dataset " + id);
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO datasets (id, name, source, status) VALUES (?, ?, ?, 'INGESTING')")) {
            insert.setObject(1, id);
            insert.setString(2, name);
            insert.setString(3, source);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert dataset " + id, e);
        }
    }

    /** The dataset's status, or empty when the row does not exist. */
    public Optional<DatasetStatus> status(UUID datasetId) {
        return status(datasetId, "");
    }

    public Optional<StoredVersion> versionByHash(String contentHash) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "SELECT id, shard_location FROM dataset_versions WHERE content_hash = ?")) {
            q.setString(1, contentHash);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new StoredVersion((UUID) rs.getObject(1), rs.getString(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read dataset version " + contentHash, e);
        }
    }

    /** The dataset job {@code jobId} trains on, or empty when the job does not exist. */
    public Optional<JobDataset> ofJob(UUID jobId) {
        String sql = "SELECT d.name, d.source, v.id, v.content_hash, v.source_format, jsonb_array_length(v.classes),"
                + " coalesce((v.counts->>'train')::bigint, 0), coalesce((v.counts->>'test')::bigint, 0)"
                + " FROM jobs j JOIN datasets d ON d.id = j.dataset_id JOIN dataset_versions v ON v.id = j.dataset_version_id"
                + " WHERE j.id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, jobId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new JobDataset(rs.getString(1), rs.getString(2), (UUID) rs.getObject(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getLong(8))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the dataset of job " + jobId, e);
        }
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
     * READY on {@code versionId}, from INGESTING, or as a new row when the orchestrator never registered
     * it (a command sent by hand).
     *
     * @throws dev.resnetops.store.TransitionRefusedException when the dataset has already finished
     */
    public void markReady(UUID datasetId, String name, String source, UUID versionId, List<Problem> problems) {
        finish(datasetId, name, source, DatasetStatus.READY, versionId, null, problems);
    }

    /** FAILED with {@code error}; same rules as {@link #markReady}. */
    public void markFailed(UUID datasetId, String name, String source, String error) {
        finish(datasetId, name, source, DatasetStatus.FAILED, null, error, List.of());
    }

    private void finish(UUID datasetId, String name, String source, DatasetStatus status, UUID versionId, String error,
                        List<Problem> problems) {
        transaction.require("marking dataset " + datasetId + " " + status);
        DatasetTransition.require(datasetId, status(datasetId, " FOR UPDATE"), status);
        // The conflict clause covers a registration inserted after the lock found no row (nothing to lock yet).
        String sql = "INSERT INTO datasets (id, name, source, status, version_id, error, problems)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)"
                + " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, version_id = EXCLUDED.version_id,"
                + " error = EXCLUDED.error, problems = EXCLUDED.problems, updated_at = now()"
                + " WHERE datasets.status = 'INGESTING'";
        int changed;
        try (Connection c = dataSource.getConnection(); PreparedStatement upsert = c.prepareStatement(sql)) {
            upsert.setObject(1, datasetId);
            upsert.setString(2, name);
            upsert.setString(3, source);
            upsert.setString(4, status.name());
            upsert.setObject(5, versionId);
            upsert.setString(6, error);
            upsert.setString(7, json(problems));
            changed = upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot mark dataset " + datasetId + " " + status, e);
        }
        if (changed == 0) {
            DatasetTransition.require(datasetId, status(datasetId, ""), status);
        }
    }

    private Optional<DatasetStatus> status(UUID datasetId, String lock) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT status FROM datasets WHERE id = ?" + lock)) {
            q.setObject(1, datasetId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(DatasetStatus.valueOf(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the status of dataset " + datasetId, e);
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
