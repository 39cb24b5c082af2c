package dev.resnetops.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.contracts.Topics;
import dev.resnetops.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The broker of {@code ./mlops test} / {@code ./mlops up} as its ACLs make it (deploy/local/kafka/access.conf,
 * docs/security.md): who may write the commands and the predictions, and that the port alone gets nobody in.
 */
class BrokerAccessTest {

    private static final Duration REFUSAL_WITHIN = Duration.ofSeconds(10);

    private static String bootstrap() {
        String bootstrap = System.getenv("MLOPS_KAFKA_BOOTSTRAP");
        assertThat(bootstrap).as("MLOPS_KAFKA_BOOTSTRAP (run with ./mlops test)").isNotBlank();
        return bootstrap;
    }

    @Test
    void aClientWithoutCredentialsCanNeitherProduceNorConsume() {
        Properties p = producer(TestKafka.anonymous(bootstrap()));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.DATASET_COMMANDS, "k", "forged"))
                    .get(30, TimeUnit.SECONDS))
                    .as("a send without a login never reaches the topic");
        }
        Properties c = consumer(TestKafka.anonymous(bootstrap()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            assertThatThrownBy(() -> consumer.partitionsFor(Topics.PREDICTIONS, REFUSAL_WITHIN))
                    .as("nor does a read");
        }
    }

    @Test
    void theStreamClientCannotWriteACommandTopic() {
        for (String commands : List.of(Topics.DATASET_COMMANDS, Topics.TRAINING_COMMANDS, Topics.TRAINING_CONTROL)) {
            assertThat(sendFailure("stream-client", commands)).as(commands)
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aServicePrincipalOtherThanInferenceCannotWritePredictions() {
        for (String service : List.of("orchestrator", "ingestion", "trainer", "evaluator", "stream-client")) {
            assertThat(sendFailure(service, Topics.PREDICTIONS)).as(service)
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThat(sendFailure(service, Topics.IMAGES_DLQ)).as(service)
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(sendFailure("inference", Topics.PREDICTIONS)).as("inference itself").isNull();
    }

    @Test
    void theStreamClientMayWriteImagesAndReadPredictionsButNotTheImages() {
        assertThat(sendFailure("stream-client", Topics.IMAGES)).isNull();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                consumer(TestKafka.principal(bootstrap(), "stream-client")))) {
            assertThat(consumer.partitionsFor(Topics.PREDICTIONS, REFUSAL_WITHIN)).isNotEmpty();
            TopicPartition images = new TopicPartition(Topics.IMAGES, 0);
            consumer.assign(List.of(images));
            consumer.seekToBeginning(List.of(images));
            assertThatThrownBy(() -> consumer.poll(REFUSAL_WITHIN)).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theOnlyWritersOfTheCommandTopicsAreTheServicesThatSendThem() {
        assertThat(sendFailure("orchestrator", Topics.DATASET_COMMANDS)).isNull();
        assertThat(sendFailure("inference", Topics.TRAINING_COMMANDS)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure("ingestion", Topics.TRAINING_CONTROL)).isInstanceOf(TopicAuthorizationException.class);
    }

    /** What refused a send of {@code principal} to {@code topic}, or null when it was acknowledged. */
    private static Throwable sendFailure(String principal, String topic) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                producer(TestKafka.principal(bootstrap(), principal)))) {
            producer.send(new ProducerRecord<>(topic, "broker-access-test-" + UUID.randomUUID(), "{}"))
                    .get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    private static Properties producer(Properties p) {
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) REFUSAL_WITHIN.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return p;
    }

    private static Properties consumer(Properties p) {
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }
}
