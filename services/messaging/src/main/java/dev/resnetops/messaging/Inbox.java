package dev.resnetops.messaging;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The idempotent inbox: which messages a consumer has fully processed. Record a message in the same
 * transaction as its effects; a redelivery then finds it and is skipped.
 */
@ApplicationScoped
public class Inbox {

    private final AgroalDataSource dataSource;

    Inbox(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean alreadyProcessed(String consumer, UUID messageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT 1 FROM inbox WHERE consumer = ? AND message_id = ?")) {
            q.setString(1, consumer);
            q.setObject(2, messageId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the inbox", e);
        }
    }

    /**
     * Records {@code messageId} as processed by {@code consumer}; call inside the transaction that applies
     * the message's effects. Returns false if it was already recorded (a concurrent duplicate): the caller
     * should then roll back.
     */
    public boolean markProcessed(String consumer, UUID messageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO inbox (consumer, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, consumer);
            insert.setObject(2, messageId);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the inbox", e);
        }
    }
}
