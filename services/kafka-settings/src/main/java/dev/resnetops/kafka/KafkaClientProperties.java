package dev.resnetops.kafka;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one place the services' Kafka clients get their connection settings and login from ({@link KafkaConfig},
 * {@link KafkaLogin}). Each call returns a fresh {@link Properties} with the shared part filled in; the caller
 * adds what is its own (offsets, isolation, membership, transactions) explicitly, so the reasons stay with the
 * client.
 */
@ApplicationScoped
@Startup // a half-configured login stops the service at start, not in a background loop later
public class KafkaClientProperties {

    private final KafkaConfig config;
    private final KafkaLogin login;

    KafkaClientProperties(KafkaConfig config) {
        this.config = config;
        // Resolved once, at start: a half-configured login fails the service's start, naming the missing setting.
        this.login = KafkaLogin.of(config);
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** A consumer in {@code groupId} whose keys and values both use {@code deserializer}. */
    public Properties consumer(String groupId, Class<? extends Deserializer<?>> deserializer) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, deserializer.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, deserializer.getName());
        p.putAll(login.clientProperties());
        return p;
    }

    /** A producer whose keys and values both use {@code serializer}. */
    public Properties producer(Class<? extends Serializer<?>> serializer) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, serializer.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, serializer.getName());
        p.putAll(login.clientProperties());
        return p;
    }

    public Properties admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.putAll(login.clientProperties());
        return p;
    }
}
