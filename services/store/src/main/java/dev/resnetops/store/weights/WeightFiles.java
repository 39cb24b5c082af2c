package dev.resnetops.store.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one writer of {@code weight_files}: uploaded weights files by name. A row is written once and never
 * changed, so {@code weights:<name>} means the same bytes for every job that ever names it.
 */
@ApplicationScoped
public class WeightFiles {

    private static final String SELECT = "SELECT name, sha256, format, size_bytes, tensors, parameters, location, notes, created_at"
            + " FROM weight_files ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgroalDataSource dataSource;

    WeightFiles(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a new name; false if the name is taken (the caller reports what it is bound to). */
    public boolean insert(StoredWeights w) {
        String sql = "INSERT INTO weight_files (name, sha256, format, size_bytes, tensors, parameters, location, notes)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (name) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            insert.setString(1, w.name());
            insert.setString(2, w.sha256());
            insert.setString(3, w.format());
            insert.setLong(4, w.sizeBytes());
            insert.setInt(5, w.tensors());
            insert.setLong(6, w.parameters());
            insert.setString(7, w.location());
            insert.setString(8, JSON.writeValueAsString(w.notes()));
            return insert.executeUpdate() == 1;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot record weights file '" + w.name() + "'", e);
        }
    }

    public Optional<StoredWeights> find(String name) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(SELECT + "WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read weights file '" + name + "'", e);
        }
    }

    /** Every uploaded file, newest first. */
    public List<StoredWeights> list() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement(SELECT + "ORDER BY created_at DESC, name");
             ResultSet rs = q.executeQuery()) {
            List<StoredWeights> all = new ArrayList<>();
            while (rs.next()) {
                all.add(map(rs));
            }
            return all;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list weights files", e);
        }
    }

    private static StoredWeights map(ResultSet rs) throws SQLException {
        List<String> notes;
        try {
            notes = JSON.readValue(rs.getString("notes"), new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("weights file '" + rs.getString("name") + "' has unreadable notes", e);
        }
        Timestamp created = rs.getTimestamp("created_at");
        return new StoredWeights(rs.getString("name"), rs.getString("sha256"), rs.getString("format"),
                rs.getLong("size_bytes"), rs.getInt("tensors"), rs.getLong("parameters"), rs.getString("location"), notes,
                created.toInstant());
    }
}
