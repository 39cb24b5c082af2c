package dev.resnetops.messaging;

import dev.resnetops.kafka.KafkaClientProperties;
import dev.resnetops.loops.BackgroundLoop;
import dev.resnetops.loops.BackgroundLoops;
import dev.resnetops.loops.LoopBody;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionManager;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Sends committed outbox rows to Kafka, oldest first, and marks them published. Woken right after a
 * local commit, and polls for rows written by other processes or left by a crash.
 *
 * <p>A {@link BackgroundLoop} of rounds rather than a {@code @Scheduled} method: a commit must wake it at
 * once (a message leaves within milliseconds, not at the next poll), and a failed round (Kafka or the
 * database away) backs off, doubling up to {@code MAX_BACKOFF}, instead of retrying at the poll rate.
 *
 * <p>Rows are locked with {@code FOR UPDATE SKIP LOCKED}, so several instances share the work without
 * sending a row twice in normal operation. A crash after the send and before the mark can still send a
 * row again on restart: consumers deduplicate by message id ({@link Inbox}), which is why delivery is
 * at-least-once here and effectively-once end to end.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Record header with the message id, so consumers can deduplicate without parsing the value. */
    public static final String MESSAGE_ID_HEADER = "message-id";
    /** Record header with the message type name. */
    public static final String MESSAGE_TYPE_HEADER = "message-type";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** A round waits at most SEND_TIMEOUT for Kafka's acknowledgements, plus the database: far below this. */
    private static final Duration STUCK_AFTER = Duration.ofMinutes(2);

    private final AgroalDataSource dataSource;
    private final OutboxConfig config;
    private final KafkaClientProperties kafka;
    private final Counter publishedCounter;
    private final Counter failureCounter;
    private final BackgroundLoop loop;

    private volatile Instant lastSuccess;
    private KafkaProducer<String, String> producer;

    OutboxRelay(AgroalDataSource dataSource, OutboxConfig config, KafkaClientProperties kafka, MeterRegistry metrics,
                BackgroundLoops loops) {
        this.dataSource = dataSource;
        this.config = config;
        this.kafka = kafka;
        this.publishedCounter = metrics.counter("outbox.published");
        this.failureCounter = metrics.counter("outbox.send.failures");
        this.loop = loops.register(BackgroundLoop.named("outbox-relay")
                .setBody(LoopBody.repeating(config.pollInterval(), this::relayRound))
                .optRestartBackoff(config.pollInterval(), MAX_BACKOFF)
                .setStuckAfter(STUCK_AFTER)
                .optJoinTimeout(SEND_TIMEOUT)
                .optEnabled(config.relayEnabled())
                .build());
    }

    void start(@Observes StartupEvent event) {
        if (!config.relayEnabled()) {
            LOG.warn("outbox relay is disabled (mlops.outbox.relay-enabled=false): messages stay in the outbox table");
            return;
        }
        producer = new KafkaProducer<>(producerProperties());
        loop.start();
        LOG.infof("outbox relay started (Kafka %s)", kafka.bootstrapServers());
    }

    void stop(@Observes ShutdownEvent event) {
        if (producer == null) {
            return;
        }
        loop.stop();
        producer.close(Duration.ofSeconds(5));
    }

    /** Wakes the relay when the current transaction commits, so a new message leaves within milliseconds. */
    void wakeUpAfterCommit(TransactionManager transactions) {
        try {
            transactions.getTransaction().registerSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        loop.wakeUp();
                    }
                }
            });
        } catch (Exception e) {
            // Not fatal: the poll picks the row up within one interval.
            LOG.debugf("cannot register the outbox wake-up: %s", e.getMessage());
        }
    }

    public boolean enabled() {
        return config.relayEnabled();
    }

    /** When the relay last completed a round against Kafka and the database (null before the first). */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** Why the last round failed, while the relay is backing off; null once a round succeeds. */
    public String lastError() {
        return loop.health().lastError();
    }

    /** Rows not yet published. */
    public long pending() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM outbox WHERE published_at IS NULL");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the outbox", e);
        }
    }

    /** One batch; true when it was full, so more may be waiting. A failure leaves the rows for the next try. */
    private boolean relayRound() throws Exception {
        try {
            int sent = relayBatch();
            lastSuccess = Instant.now();
            return sent == config.batchSize();
        } catch (Exception e) {
            failureCounter.increment();
            throw e;
        }
    }

    private int relayBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                try (PreparedStatement q = c.prepareStatement("SELECT id, message_id, topic, message_key, payload"
                        + " FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    q.setInt(1, config.batchSize());
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            sends.add(producer.send(record(rs)));
                        }
                    }
                }
                for (Future<RecordMetadata> send : sends) {
                    send.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (!ids.isEmpty()) {
                    markPublished(c, ids);
                }
                c.commit();
                publishedCounter.increment(ids.size());
                return ids.size();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static ProducerRecord<String, String> record(ResultSet rs) throws SQLException {
        UUID messageId = (UUID) rs.getObject(2);
        String payload = rs.getString(5);
        ProducerRecord<String, String> record = new ProducerRecord<>(rs.getString(3), rs.getString(4), payload);
        record.headers().add(MESSAGE_ID_HEADER, messageId.toString().getBytes(StandardCharsets.UTF_8));
        String type = typeOf(payload);
        if (type != null) {
            record.headers().add(MESSAGE_TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static String typeOf(String payload) {
        // The codec writes "type" first; avoid a full parse per row just for a header.
        int at = payload.indexOf("\"type\":\"");
        if (at < 0) {
            return null;
        }
        int start = at + 8;
        int end = payload.indexOf('"', start);
        return end > start ? payload.substring(start, end) : null;
    }

    private static void markPublished(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY (?)")) {
            Array array = c.createArrayOf("bigint", ids.toArray());
            update.setArray(1, array);
            update.executeUpdate();
        }
    }

    private Properties producerProperties() {
        Properties p = kafka.producer(StringSerializer.class);
        // Idempotent producer: retries inside one session never duplicate or reorder a partition.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + UUID.randomUUID().toString().substring(0, 8));
        return p;
    }
}
