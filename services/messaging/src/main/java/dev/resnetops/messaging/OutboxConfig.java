package dev.resnetops.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the outbox relay ({@code mlops.outbox.*}). */
@ConfigMapping(prefix = "mlops.outbox")
public interface OutboxConfig {

    /**
     * Whether this process relays the outbox to Kafka. Off only to simulate a crash between the
     * database commit and the send (tests), or for a process that must never publish.
     */
    @WithDefault("true")
    boolean relayEnabled();

    /** How often the relay looks for unpublished rows when it was not woken by a local write. */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /** Rows sent per round trip. */
    @WithDefault("100")
    int batchSize();
}
