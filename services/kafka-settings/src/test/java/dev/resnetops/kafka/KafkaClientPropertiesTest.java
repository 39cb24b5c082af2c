package dev.resnetops.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private final KafkaClientProperties kafka = new KafkaClientProperties(() -> "127.0.0.1:19092");

    @Test
    void aConsumerGetsTheBrokerItsGroupAndDeserializersAndNothingOfAnotherClient() {
        Properties p = kafka.consumer("inference", ByteArrayDeserializer.class);

        assertThat(p).containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:19092")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "inference")
                .containsEntry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                .containsEntry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                .hasSize(4);
    }

    @Test
    void eachCallReturnsItsOwnPropertiesSoOneClientsSettingsCannotLeakIntoTheNext() {
        Properties first = kafka.producer(StringSerializer.class);
        first.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "resnetops-inference-a");

        assertThat(kafka.producer(StringSerializer.class)).doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:19092");
        assertThat(kafka.admin()).containsOnlyKeys("bootstrap.servers");
    }
}
