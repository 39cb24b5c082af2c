package dev.resnetops.orchestrator.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** Idempotency-Key records: which resource a client's key created, and a hash of the request it came with. */
@ApplicationScoped
public class IdempotencyKeys {

    /** What a key was first used for. */
    public record Entry(String requestHash, UUID resourceId) {
    }

    private final AgroalDataSource dataSource;

    IdempotencyKeys(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Entry> find(String scope, String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT request_hash, resource_id FROM idempotency_keys"
                     + " WHERE scope = ? AND idempotency_key = ?")) {
            q.setString(1, scope);
            q.setString(2, key);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new Entry(rs.getString(1), (UUID) rs.getObject(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read idempotency keys", e);
        }
    }

    /**
     * Records the key; a concurrent request that recorded it first makes this fail with a unique
     * violation, which rolls back the caller's transaction (see {@link UniqueViolation}).
     */
    public void insert(String scope, String key, String requestHash, UUID resourceId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO idempotency_keys"
                     + " (scope, idempotency_key, request_hash, resource_id) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, scope);
            insert.setString(2, key);
            insert.setString(3, requestHash);
            insert.setObject(4, resourceId);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (UniqueViolation.is(e)) {
                throw new UniqueViolation("idempotency key " + scope + "/" + key, e);
            }
            throw new IllegalStateException("cannot record idempotency key", e);
        }
    }
}
