package dev.resnetops.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the outbox relay ({@code mlops.outbox.*}). */
@ConfigMapping(prefix = "mlops.outbox")
public interface OutboxConfig {

    /**
     * Whether this process relays the outbox to Kafka. Off only to simulate a crash between the
     * database commit and the send (tests), or for a process that must never publish.
     */
    @WithDefault("true")
    boolean relayEnabled();

    /**
     * The service whose rows these are: {@link OutboxWriter} stamps it on every row and this process's relay
     * sends only rows carrying it. The outbox table is shared, but each service's Kafka principal may write
     * only its own topics (docs/security.md), so a relay sending another service's row would be refused, and
     * should be. Every instance of a service (trainer workers) shares it.
     */
    @WithDefault("${quarkus.application.name}")
    String source();

    /** How often the relay looks for unpublished rows when it was not woken by a local write. */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /** Rows sent per round trip. */
    @WithDefault("100")
    int batchSize();

    /**
     * Sends a row may fail permanently (too large for the broker, an invalid topic) before it is parked:
     * set aside with its error, so the rows behind it flow. Transient failures (Kafka unreachable) never
     * count: they are retried until the broker is back.
     */
    @WithDefault("5")
    int maxAttempts();

    /**
     * The largest message (key and JSON payload, in UTF-8 bytes) {@link OutboxWriter} accepts. Kafka refuses
     * records over its {@code max.request.size} / {@code message.max.bytes} (1 MiB by default); refusing at
     * write time tells the caller, in its own transaction, instead of parking the row later. The relay's
     * producer allows this much plus room for headers.
     */
    @WithDefault("1000000")
    int maxMessageBytes();

    /** Fault injection for system tests only; see {@link FaultInjection}. */
    FaultInjection faultInjection();

    /**
     * A crash forced at one exact point of the relay: after Kafka acknowledged a row's send and before the
     * row is marked published. System tests use it to show that the consumer's effect happens once when the
     * relay dies there and sends the row again on restart. Two settings, both needed, so that neither one
     * set by mistake (a copied environment) can halt a production process; a process with it on says so at
     * ERROR on startup and again when it halts.
     */
    interface FaultInjection {

        /** Halts the process (no shutdown hooks, as a kill does) after the first send to this topic. */
        Optional<String> haltAfterSendTo();

        /** Must be exactly {@code halt-the-process} for {@link #haltAfterSendTo()} to take effect. */
        Optional<String> confirm();
    }
}
