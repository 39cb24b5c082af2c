package dev.resnetops.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic of the real broker from the beginning, to see exactly which records were published. */
public final class TopicProbe {

    private TopicProbe() {
    }

    /**
     * All records with {@code key}: polls until at least one arrives (or {@code timeout}), then keeps
     * reading for {@code settle} so a duplicate would be seen too.
     */
    public static List<ConsumerRecord<String, String>> recordsWithKey(String bootstrapServers, String topic, String key, Duration timeout,
                                                                Duration settle) {
        Properties p = TestKafka.admin(bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                consumer.listTopics(Duration.ofSeconds(5)).getOrDefault(topic, List.of())
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long settleEnd = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleEnd)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                }
                if (!found.isEmpty() && settleEnd == Long.MAX_VALUE) {
                    settleEnd = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return found;
    }
}
