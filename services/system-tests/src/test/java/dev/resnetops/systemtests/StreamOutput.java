package dev.resnetops.systemtests;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.stream.ImageHeaders;
import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.contracts.stream.PredictionCodec;
import dev.resnetops.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the inference service committed to {@link Topics#PREDICTIONS} and {@link Topics#IMAGES_DLQ} after
 * this reader was opened, read as a downstream consumer must: {@code read_committed}, so aborted
 * transactions (a crash mid-batch) stay invisible and every duplicate that does show is a real one.
 * Not thread-safe: one test thread polls it.
 */
final class StreamOutput implements AutoCloseable {

    /** A prediction record: its key, its request-id header and the prediction itself. */
    record Answer(String key, String requestIdHeader, Prediction prediction) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, List<Answer>> answers = new HashMap<>();
    private final List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();

    StreamOutput(String bootstrapServers) {
        Properties p = TestKafka.admin(bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.PREDICTIONS, Topics.IMAGES_DLQ)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // seekToEnd is lazy: resolve the positions now, before the test sends anything.
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
    }

    /** Polls until {@code condition} holds; fails with {@code what} and the counts after {@code timeout}. */
    void awaitUntil(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + " (so far "
                        + predictionCount() + " predictions for " + answers.size() + " request ids, "
                        + deadLetters.size() + " dead letters)");
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** Waits until every one of {@code requestIds} has a prediction, then reads on for {@code settle} to see duplicates. */
    void awaitAnswers(Collection<String> requestIds, Duration timeout, Duration settle) {
        awaitUntil(() -> answered(requestIds) == requestIds.size(), timeout,
                "a prediction for each of " + requestIds.size() + " images (" + answered(requestIds) + " have one)");
        poll(settle);
    }

    /** Reads for {@code duration}. */
    void poll(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        do {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.topic().equals(Topics.IMAGES_DLQ)) {
                    deadLetters.add(record);
                } else {
                    Prediction prediction = PredictionCodec.fromJson(record.value());
                    answers.computeIfAbsent(prediction.requestId(), id -> new ArrayList<>())
                            .add(new Answer(record.key(), header(record, ImageHeaders.REQUEST_ID), prediction));
                }
            }
        } while (System.nanoTime() < end);
    }

    /** How many of {@code requestIds} have at least one prediction. */
    int answered(Collection<String> requestIds) {
        int n = 0;
        for (String id : requestIds) {
            if (answers.containsKey(id)) {
                n++;
            }
        }
        return n;
    }

    /** Every prediction read, by request id (more than one = a duplicate). */
    Map<String, List<Answer>> answers() {
        return answers;
    }

    int predictionCount() {
        return answers.values().stream().mapToInt(List::size).sum();
    }

    List<ConsumerRecord<String, byte[]>> deadLetters() {
        return deadLetters;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
