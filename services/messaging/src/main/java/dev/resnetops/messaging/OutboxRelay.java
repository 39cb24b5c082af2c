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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
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
 * <p>Rows go out one by one within a batch: a row that fails permanently (too large for the broker, an
 * invalid topic) is counted and, after {@code mlops.outbox.max-attempts}, parked with its error
 * ({@code parked_at}), reported by {@link OutboxHealthCheck} and the {@code outbox.parked} metric, while the
 * rows behind it flow. A transient failure (Kafka away) never parks a row.
 *
 * <p>A relay sends only its own service's rows ({@code mlops.outbox.source}): its Kafka principal may write
 * only that service's topics.
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
    /** Exit status of a fault-injected halt, so a test tells it from a crash. */
    public static final int HALT_STATUS = 86;
    /** The value {@code mlops.outbox.fault-injection.confirm} must have. */
    static final String CONFIRM_HALT = "halt-the-process";

    private final AgroalDataSource dataSource;
    private final OutboxConfig config;
    private final KafkaClientProperties kafka;
    private final Counter publishedCounter;
    private final Counter failureCounter;
    private final Counter parkedCounter;
    private final BackgroundLoop loop;
    /** The topic after whose first send the process halts (test-only fault injection); null normally. */
    private final String haltAfterSendTo;

    private volatile Instant lastSuccess;
    private KafkaProducer<String, String> producer;

    OutboxRelay(AgroalDataSource dataSource, OutboxConfig config, KafkaClientProperties kafka, MeterRegistry metrics,
                BackgroundLoops loops) {
        this.dataSource = dataSource;
        this.config = config;
        this.kafka = kafka;
        this.publishedCounter = metrics.counter("outbox.published");
        this.failureCounter = metrics.counter("outbox.send.failures");
        this.parkedCounter = metrics.counter("outbox.parked");
        this.haltAfterSendTo = haltAfterSendTo(config.faultInjection());
        this.loop = loops.register(BackgroundLoop.named("outbox-relay")
                .setBody(LoopBody.repeating(config.pollInterval(), this::relayRound))
                .optRestartBackoff(config.pollInterval(), MAX_BACKOFF)
                .setStuckAfter(STUCK_AFTER)
                .optJoinTimeout(SEND_TIMEOUT)
                .optEnabled(config.relayEnabled())
                .build());
    }

    private static String haltAfterSendTo(OutboxConfig.FaultInjection faults) {
        String topic = faults.haltAfterSendTo().filter(t -> !t.isBlank()).orElse(null);
        if (topic == null) {
            return null;
        }
        if (!faults.confirm().map(CONFIRM_HALT::equals).orElse(false)) {
            LOG.errorf("mlops.outbox.fault-injection.halt-after-send-to=%s is set but ignored: it takes effect only"
                    + " with mlops.outbox.fault-injection.confirm=%s, and belongs in system tests only", topic,
                    CONFIRM_HALT);
            return null;
        }
        LOG.errorf("FAULT INJECTION IS ON: this process halts right after its first outbox send to %s, before"
                + " marking the row published (mlops.outbox.fault-injection.*). This is a test setting: remove it"
                + " unless a system test set it", topic);
        return topic;
    }

    void start(@Observes StartupEvent event) {
        if (!config.relayEnabled()) {
            LOG.warn("outbox relay is disabled (mlops.outbox.relay-enabled=false): messages stay in the outbox table");
            return;
        }
        producer = new KafkaProducer<>(producerProperties());
        loop.start();
        LOG.infof("outbox relay started for the rows of %s (Kafka %s)", config.source(), kafka.bootstrapServers());
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

    /** This service's rows not yet published. */
    public long pending() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM outbox WHERE source = ?"
                     + " AND published_at IS NULL AND parked_at IS NULL")) {
            q.setString(1, config.source());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
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

    /** One unpublished row as locked for this round. */
    private record Row(long id, String topic, String key, int attempts, ProducerRecord<String, String> record) {
    }

    /**
     * One batch, row by row: each row is published, or (failing permanently) counted and, after
     * {@code maxAttempts}, parked with its error, so one poison row never holds back the rows behind it. A
     * transient failure (Kafka away) publishes what went out, commits, and fails the round so the loop backs off;
     * it never counts against a row. Returns the rows settled (published or parked or counted).
     */
    private int relayBatch() throws Exception {
        Exception transientFailure = null;
        int settled;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Row> rows = lockBatch(c);
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (Row row : rows) {
                    sends.add(send(row));
                }
                List<Long> published = new ArrayList<>();
                settled = 0;
                for (int i = 0; i < rows.size(); i++) {
                    Row row = rows.get(i);
                    try {
                        sends.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                        haltIfInjected(row);
                        published.add(row.id());
                        settled++;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        if (permanent(cause)) {
                            failedPermanently(c, row, cause);
                            settled++;
                        } else if (transientFailure == null) {
                            transientFailure = new IllegalStateException("Kafka at " + kafka.bootstrapServers()
                                    + " did not take outbox row " + row.id() + ": " + cause.getMessage(), cause);
                        }
                    } catch (java.util.concurrent.TimeoutException e) {
                        if (transientFailure == null) {
                            transientFailure = new IllegalStateException("Kafka at " + kafka.bootstrapServers()
                                    + " did not acknowledge outbox row " + row.id() + " within " + SEND_TIMEOUT, e);
                        }
                    }
                }
                if (!published.isEmpty()) {
                    markPublished(c, published);
                }
                c.commit();
                publishedCounter.increment(published.size());
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
        if (transientFailure != null) {
            throw transientFailure; // after the commit: what went out stays published
        }
        return settled;
    }

    private List<Row> lockBatch(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, message_id, topic, message_key, payload, attempts"
                + " FROM outbox WHERE source = ? AND published_at IS NULL AND parked_at IS NULL ORDER BY id LIMIT ?"
                + " FOR UPDATE SKIP LOCKED")) {
            q.setString(1, config.source());
            q.setInt(2, config.batchSize());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(3), rs.getString(4), rs.getInt(6), record(rs)));
                }
            }
        }
        return rows;
    }

    /** The send's future; a send the client refuses at once (serialization, size) is a failed future too. */
    private Future<RecordMetadata> send(Row row) {
        try {
            return producer.send(row.record());
        } catch (KafkaException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Failures that the same row meets again on every try, whatever the broker's state: its size, its topic's
     * name, its bytes. Everything else (timeouts, leader changes, the broker away, authorisation, which an
     * operator fixes for all rows at once) is transient and retried without counting.
     */
    static boolean permanent(Throwable failure) {
        return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidRecordException || failure instanceof InvalidTopicException
                || failure instanceof SerializationException;
    }

    private void failedPermanently(Connection c, Row row, Throwable cause) throws SQLException {
        int attempts = row.attempts() + 1;
        boolean park = attempts >= config.maxAttempts();
        String error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        try (PreparedStatement u = c.prepareStatement("UPDATE outbox SET attempts = ?, last_error = ?,"
                + " parked_at = CASE WHEN ? THEN now() END WHERE id = ?")) {
            u.setInt(1, attempts);
            u.setString(2, error);
            u.setBoolean(3, park);
            u.setLong(4, row.id());
            u.executeUpdate();
        }
        if (park) {
            parkedCounter.increment();
            LOG.errorf("outbox row %d (%s, key %s) parked after %d failed sends: %s; the rows behind it go on."
                    + " Fix the cause, then replay it (docs/operations.md, \"Parked rows\")", row.id(), row.topic(),
                    row.key(), attempts, error);
        } else {
            LOG.warnf("outbox row %d (%s, key %s): send %d of %d failed: %s", row.id(), row.topic(), row.key(),
                    attempts, config.maxAttempts(), error);
        }
    }

    /** The test-only crash point between Kafka's acknowledgement and the mark (see {@link OutboxConfig.FaultInjection}). */
    private void haltIfInjected(Row row) {
        if (haltAfterSendTo != null && haltAfterSendTo.equals(row.topic())) {
            LOG.errorf("FAULT INJECTION: halting the process now, after outbox row %d (%s, key %s) was sent and"
                    + " before it is marked published (mlops.outbox.fault-injection.halt-after-send-to)", row.id(),
                    row.topic(), row.key());
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }

    /** This service's rows parked after failing permanently, waiting for an operator. */
    public long parked() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM outbox WHERE source = ?"
                     + " AND parked_at IS NOT NULL")) {
            q.setString(1, config.source());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the parked outbox rows", e);
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
        // The writer's limit is on key and payload; headers and the record's framing need a little more.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.maxMessageBytes() + 16 * 1024);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + UUID.randomUUID().toString().substring(0, 8));
        return p;
    }
}
