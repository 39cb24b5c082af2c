package dev.resnetops.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private final KafkaClientProperties kafka = new KafkaClientProperties(config("trainer", "s3cret"));

    @Test
    void aConsumerGetsTheBrokerItsGroupDeserializersAndLoginAndNothingOfAnotherClient() {
        Properties p = kafka.consumer("inference", ByteArrayDeserializer.class);

        assertThat(p).containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:19092")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "inference")
                .containsEntry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                .containsEntry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT")
                .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
                .containsKey(SaslConfigs.SASL_JAAS_CONFIG)
                .hasSize(7);
    }

    @Test
    void eachCallReturnsItsOwnPropertiesSoOneClientsSettingsCannotLeakIntoTheNext() {
        Properties first = kafka.producer(StringSerializer.class);
        first.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "resnetops-inference-a");

        assertThat(kafka.producer(StringSerializer.class)).doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:19092");
        assertThat(kafka.admin()).containsOnlyKeys("bootstrap.servers", "security.protocol", "sasl.mechanism",
                "sasl.jaas.config");
    }

    @Test
    void withoutAUserTheClientsConnectInPlaintextWithoutALogin() {
        KafkaClientProperties plain = new KafkaClientProperties(config(null, null));

        assertThat(plain.admin()).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                .doesNotContainKey(SaslConfigs.SASL_JAAS_CONFIG);
    }

    static KafkaConfig config(String user, String password) {
        return new KafkaConfig() {
            @Override
            public String bootstrapServers() {
                return "127.0.0.1:19092";
            }

            @Override
            public Optional<String> securityProtocol() {
                return Optional.empty();
            }

            @Override
            public Sasl sasl() {
                return new Sasl() {
                    @Override
                    public String mechanism() {
                        return KafkaLogin.DEFAULT_MECHANISM;
                    }

                    @Override
                    public Optional<String> username() {
                        return Optional.ofNullable(user);
                    }

                    @Override
                    public Optional<String> password() {
                        return Optional.ofNullable(password);
                    }

                    @Override
                    public Optional<String> jaasConfig() {
                        return Optional.empty();
                    }
                };
            }
        };
    }
}
