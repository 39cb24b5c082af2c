package dev.resnetops.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * The Kafka settings every service shares ({@code kafka.*}, the prefix SmallRye Reactive Messaging reads
 * too, so the ingestion's channel and the plain clients of the other services point at the same broker as
 * the same principal). Settings of one client (group id, isolation level, static membership, transactional
 * id) are not here: they stay at the client that needs them, next to the reason it needs them.
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaConfig {

    /** The brokers to bootstrap from ({@code MLOPS_KAFKA_BOOTSTRAP} in every service's properties). */
    @WithName("bootstrap.servers")
    String bootstrapServers();

    /**
     * {@code PLAINTEXT}, {@code SASL_PLAINTEXT}, {@code SASL_SSL} or {@code SSL}
     * ({@code MLOPS_KAFKA_SECURITY_PROTOCOL}). Unset: {@code SASL_PLAINTEXT} when a user is configured,
     * else {@code PLAINTEXT}.
     */
    @WithName("security.protocol")
    Optional<String> securityProtocol();

    /** The SASL login of this process's principal (docs/security.md). */
    Sasl sasl();

    interface Sasl {

        /** The platform's brokers accept SCRAM-SHA-512 ({@code MLOPS_KAFKA_SASL_MECHANISM}). */
        @WithDefault("SCRAM-SHA-512")
        String mechanism();

        /** The principal's name ({@code MLOPS_KAFKA_USER}); unset means no SASL login. */
        Optional<String> username();

        /** Its password ({@code MLOPS_KAFKA_PASSWORD}). */
        Optional<String> password();

        /**
         * Kafka's own login setting. When set, it wins over {@link #username()} and {@link #password()} (an
         * OAuth or Kerberos login); the services with SmallRye channels set it from the two, as those
         * channels read Kafka's settings only.
         */
        @WithName("jaas.config")
        Optional<String> jaasConfig();
    }
}
