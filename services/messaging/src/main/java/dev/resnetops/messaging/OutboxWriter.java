package dev.resnetops.messaging;

import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Appends a message to the outbox inside the caller's transaction, so the message exists if and only if
 * the state change it announces was committed. The {@link OutboxRelay} sends it later.
 */
@ApplicationScoped
public class OutboxWriter {

    private final AgroalDataSource dataSource;
    private final TransactionManager transactions;
    private final OutboxRelay relay;

    OutboxWriter(AgroalDataSource dataSource, TransactionManager transactions, OutboxRelay relay) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.relay = relay;
    }

    public void append(Message message) {
        requireTransaction();
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO outbox (message_id, topic, message_key, payload) VALUES (?, ?, ?, ?)")) {
            insert.setObject(1, message.messageId());
            insert.setString(2, message.topic());
            insert.setString(3, message.key());
            insert.setString(4, MessageCodec.toJson(message));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + message.getClass().getSimpleName() + " to the outbox", e);
        }
        relay.wakeUpAfterCommit(transactions);
    }

    private void requireTransaction() {
        try {
            if (transactions.getStatus() != Status.STATUS_ACTIVE) {
                // Outside a transaction the row would commit on its own, decoupled from the change it
                // announces: exactly the inconsistency the outbox exists to prevent.
                throw new IllegalStateException("OutboxWriter.append needs an active transaction (@Transactional)");
            }
        } catch (SystemException e) {
            throw new IllegalStateException("cannot read the transaction status", e);
        }
    }
}
