package dev.resnetops.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How {@link TopicSetup} creates the platform's topics ({@code mlops.kafka.*}; not under {@code kafka.*},
 * whose every property SmallRye Reactive Messaging hands to the Kafka clients as a client setting).
 */
@ConfigMapping(prefix = "mlops.kafka")
public interface TopicConfig {

    /** Partitions of a new topic: those of the training commands bound how many workers train in parallel. */
    @WithDefault("6")
    int partitions();

    @WithDefault("1")
    short replicationFactor();
}
