package dev.resnetops.messaging;

import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Appends a message to the outbox inside the caller's transaction, so the message exists if and only if
 * the state change it announces was committed. The {@link OutboxRelay} of the same service sends it later.
 */
@ApplicationScoped
public class OutboxWriter {

    private final AgroalDataSource dataSource;
    private final TransactionManager transactions;
    private final OutboxRelay relay;
    private final OutboxConfig config;

    OutboxWriter(AgroalDataSource dataSource, TransactionManager transactions, OutboxRelay relay, OutboxConfig config) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.relay = relay;
        this.config = config;
    }

    /**
     * @throws MessageTooLargeException when the message is larger than Kafka would take
     *                                  ({@code mlops.outbox.max-message-bytes}); nothing is written
     */
    public void append(Message message) {
        requireTransaction();
        String payload = MessageCodec.toJson(message);
        long size = (long) payload.getBytes(StandardCharsets.UTF_8).length
                + message.key().getBytes(StandardCharsets.UTF_8).length;
        if (size > config.maxMessageBytes()) {
            throw new MessageTooLargeException(message, size, config.maxMessageBytes());
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO outbox (message_id, topic, message_key, payload, source) VALUES (?, ?, ?, ?, ?)")) {
            insert.setObject(1, message.messageId());
            insert.setString(2, message.topic());
            insert.setString(3, message.key());
            insert.setString(4, payload);
            insert.setString(5, config.source());
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
