package dev.resnetops.orchestrator.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.DatasetVersionView;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.Problem;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Dataset registrations and their versions as the API shows them. Read-only: registering goes through
 * the platform store's {@code DatasetStore}, and the ingestion service writes versions and outcomes there.
 */
@ApplicationScoped
public class DatasetRepository {

    private static final String SELECT = "SELECT d.id, d.name, d.source, d.status, d.error, d.problems, d.created_at,"
            + " d.updated_at, v.id AS v_id, v.content_hash, v.source_format, v.classes, v.counts, v.class_counts,"
            + " v.channels, v.height, v.width, v.mean, v.std, v.shard_location, v.created_at AS v_created"
            + " FROM datasets d LEFT JOIN dataset_versions v ON v.id = d.version_id ";

    private final AgroalDataSource dataSource;
    private final JsonColumns json;

    DatasetRepository(AgroalDataSource dataSource, JsonColumns json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public Optional<DatasetView> find(UUID id) {
        return queryOne(SELECT + "WHERE d.id = ?", id);
    }

    /** The newest registration with this name: what a job naming the dataset means. */
    public Optional<DatasetView> findNewestByName(String name) {
        return queryOne(SELECT + "WHERE d.name = ? ORDER BY d.created_at DESC LIMIT 1", name);
    }

    public Page<DatasetView> list(int page, int size) {
        try (Connection c = dataSource.getConnection()) {
            return PageQuery.fetch(c, "SELECT count(*) FROM datasets",
                    SELECT + "ORDER BY d.created_at DESC, d.id LIMIT ? OFFSET ?", List.of(), page, size, this::map);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list datasets", e);
        }
    }

    private Optional<DatasetView> queryOne(String sql, Object parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read datasets", e);
        }
    }

    private DatasetView map(ResultSet rs) throws SQLException {
        DatasetVersionView version = null;
        UUID versionId = (UUID) rs.getObject("v_id");
        if (versionId != null) {
            version = new DatasetVersionView(versionId, rs.getString("content_hash"), rs.getString("source_format"),
                    json.read(rs.getString("classes"), new TypeReference<List<String>>() { }),
                    json.read(rs.getString("counts"), new TypeReference<Map<String, Integer>>() { }),
                    json.read(rs.getString("class_counts"), new TypeReference<Map<String, Map<String, Integer>>>() { }),
                    rs.getInt("channels"), rs.getInt("height"), rs.getInt("width"),
                    json.read(rs.getString("mean"), new TypeReference<List<Double>>() { }),
                    json.read(rs.getString("std"), new TypeReference<List<Double>>() { }),
                    rs.getString("shard_location"), rs.getTimestamp("v_created").toInstant());
        }
        return new DatasetView((UUID) rs.getObject("id"), rs.getString("name"), rs.getString("source"),
                DatasetStatus.valueOf(rs.getString("status")), rs.getString("error"), version,
                json.read(rs.getString("problems"), new TypeReference<List<Problem>>() { }),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")));
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
