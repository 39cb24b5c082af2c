package dev.resnetops.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The Kafka settings every service shares ({@code kafka.*}, the prefix SmallRye Reactive Messaging reads
 * too, so the ingestion's channel and the plain clients of the other services point at the same broker).
 * Settings of one client (group id, isolation level, static membership, transactional id) are not here:
 * they stay at the client that needs them, next to the reason it needs them.
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaConfig {

    /** The brokers to bootstrap from ({@code MLOPS_KAFKA_BOOTSTRAP} in every service's properties). */
    @WithName("bootstrap.servers")
    String bootstrapServers();
}
