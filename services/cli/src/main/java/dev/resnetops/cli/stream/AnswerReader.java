package dev.resnetops.cli.stream;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.stream.ImageHeaders;
import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.contracts.stream.PredictionCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the predictions and the dead letters on its own thread and hands each to the {@link RequestLedger},
 * stamped with the time it arrived here.
 *
 * <p>Both topics are read with {@code isolation.level=read_committed}: the service writes its answers in
 * Kafka transactions, and an aborted transaction's records (a batch the service classified again after
 * a crash) would otherwise look like duplicates. Every partition is assigned (no consumer group: nothing
 * is committed, and another client's group is never disturbed), positioned at its end, and the position
 * is resolved before {@link #awaitPositioned} returns: {@code seekToEnd} alone is lazy, and an answer
 * that arrived before the lazy lookup would be skipped.
 */
final class AnswerReader implements Runnable, AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final StreamBroker broker;
    private final String bootstrap;
    private final Duration connectTimeout;
    private final RequestLedger ledger;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closing;
    private volatile RuntimeException failure;

    AnswerReader(StreamBroker broker, Duration connectTimeout, RequestLedger ledger) {
        this.broker = broker;
        this.bootstrap = broker.bootstrap();
        this.connectTimeout = connectTimeout;
        this.ledger = ledger;
        this.thread = new Thread(this, "mlops-stream-answers");
        this.thread.setDaemon(true);
    }

    /** Starts reading and returns once every partition is positioned at its end. */
    void start() throws InterruptedException {
        thread.start();
        // The consumer's own timeouts bound the wait; this one only guards against a hang in them.
        if (!positioned.await(connectTimeout.toMillis() * 3 + 10_000, TimeUnit.MILLISECONDS) && failure == null) {
            failure = new StreamFailedException("could not position the answer reader at the end of "
                    + Topics.PREDICTIONS + " within " + connectTimeout.multipliedBy(3).toSeconds() + " s", null);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Why reading stopped, or null while it works. */
    RuntimeException failure() {
        return failure;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(properties())) {
            consumer = c;
            List<TopicPartition> partitions = new ArrayList<>();
            partitions.addAll(partitionsOf(c, Topics.PREDICTIONS));
            partitions.addAll(partitionsOf(c, Topics.IMAGES_DLQ));
            c.assign(partitions);
            c.seekToEnd(partitions);
            for (TopicPartition partition : partitions) {
                c.position(partition, connectTimeout);
            }
            positioned.countDown();
            while (!closing) {
                handle(c.poll(POLL));
            }
        } catch (WakeupException e) {
            if (!closing) {
                failure = new StreamFailedException("the answer reader was woken up unexpectedly", e);
            }
        } catch (StreamFailedException e) {
            failure = e;
        } catch (AuthenticationException | AuthorizationException e) {
            failure = StreamFailedException.refused(broker, "read " + Topics.PREDICTIONS + " and " + Topics.IMAGES_DLQ, e);
        } catch (KafkaException e) {
            failure = new StreamFailedException("cannot read the answers from Kafka at " + bootstrap + ": "
                    + e.getMessage() + "; is the platform running? (./mlops up, ./mlops status)", e);
        } catch (RuntimeException e) {
            failure = new StreamFailedException("reading the answers failed: " + e, e);
        } finally {
            consumer = null;
            positioned.countDown();
        }
    }

    private List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> c, String topic) {
        List<PartitionInfo> infos;
        try {
            infos = c.partitionsFor(topic, connectTimeout);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new StreamFailedException("cannot reach Kafka at " + bootstrap + " (no answer within "
                    + connectTimeout.toSeconds() + " s): is the platform running? Start it with ./mlops up, or "
                    + "point --bootstrap or MLOPS_KAFKA_BOOTSTRAP at the broker", e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new StreamFailedException("the topic " + topic + " does not exist on " + bootstrap + ": the "
                    + "platform creates it when it starts (./mlops up); is this the platform's broker?", null);
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void handle(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        long now = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String requestId = header(record, ImageHeaders.REQUEST_ID);
            if (Topics.IMAGES_DLQ.equals(record.topic())) {
                ledger.deadLettered(requestId, header(record, ImageHeaders.DLQ_REASON), now);
                continue;
            }
            Prediction prediction;
            try {
                prediction = PredictionCodec.fromJson(record.value());
            } catch (MalformedMessageException e) {
                // Counted as an answer with its reason: a broken prediction for one of ours is a service bug to show.
                ledger.deadLettered(requestId, "unreadable prediction: " + e.getMessage(), now);
                continue;
            }
            ledger.predicted(requestId != null ? requestId : prediction.requestId(), prediction, now);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Properties properties() {
        Properties p = new Properties();
        p.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "mlops-stream-" + UUID.randomUUID().toString().substring(0, 8),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(connectTimeout.toMillis())));
        p.putAll(broker.loginProperties());
        return p;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        thread.join(10_000);
    }
}
