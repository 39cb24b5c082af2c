package dev.resnetops.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.DatasetFailed;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.contracts.messages.MessageCodec;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The outbox table is shared by every service, but each service's relay sends only the rows its service
 * wrote: another service's row would be refused by the broker (its principal may not write that topic), and a
 * relay that tried would stall on it. This application's relay is the orchestrator's ({@code mlops.outbox.source}).
 */
@QuarkusTest
class OutboxSourceTest {

    @Inject
    OutboxWriter outbox;

    @Inject
    AgroalDataSource db;

    @Test
    void aRowOfAnotherServiceIsNotSentByThisServicesRelay() throws Exception {
        UUID otherDataset = UUID.randomUUID();
        long others = insertRowOf("ingestion", Topics.DATASET_EVENTS, otherDataset.toString(),
                MessageCodec.toJson(DatasetFailed.of(otherDataset, "written by another service")));
        try {
            IngestDataset own = IngestDataset.of(UUID.randomUUID(), "outbox-source-test", "/nowhere");
            QuarkusTransaction.requiringNew().run(() -> outbox.append(own));

            // Rows go out in id order: once the later, own row is published, the earlier one was passed over.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"t".equals(query("SELECT published_at IS NOT NULL FROM outbox WHERE message_key = '" + own.key()
                    + "'")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(query("SELECT source || ' ' || (published_at IS NOT NULL) FROM outbox WHERE message_key = '"
                    + own.key() + "'")).isEqualTo("orchestrator true");
            assertThat(query("SELECT (published_at IS NULL) || ' ' || attempts FROM outbox WHERE id = " + others))
                    .isEqualTo("true 0");
        } finally {
            // Or the next test run of the ingestion would send it.
            query("DELETE FROM outbox WHERE id = " + others + " RETURNING 'deleted'");
        }
    }

    private long insertRowOf(String source, String topic, String key, String payload) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (message_id, topic, message_key,"
                     + " payload, source) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, topic);
            insert.setString(3, key);
            insert.setString(4, payload);
            insert.setString(5, source);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String query(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql);
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
