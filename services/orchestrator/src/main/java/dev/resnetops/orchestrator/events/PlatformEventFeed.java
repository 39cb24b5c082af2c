package dev.resnetops.orchestrator.events;

import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Every training and dataset event the platform publishes, as it arrives, for the live views of the
 * API. Each orchestrator instance reads the two event topics in a consumer group of its own from the
 * newest offset and commits nothing (application.properties, channel {@code platform-events}): a view
 * needs what happens from now on, every instance needs all of it for the clients connected to it, and a
 * missed event costs nothing lasting, since a view starts from a snapshot read from PostgreSQL.
 *
 * <p>That is why this consumer is SmallRye Reactive Messaging and not a loop of our own: no offsets to
 * commit, no transactions, no pause while working, just a broadcast to whoever listens.
 */
@ApplicationScoped
public class PlatformEventFeed {

    private static final Logger LOG = Logger.getLogger(PlatformEventFeed.class);

    private final BroadcastProcessor<Message> events = BroadcastProcessor.create();

    /**
     * Blocking (a worker thread, in order): subscribers read PostgreSQL when a job or dataset reaches its
     * end, which must not happen on the Kafka connector's event loop.
     */
    @Incoming("platform-events")
    @Blocking
    void receive(String value) {
        Message message;
        try {
            message = MessageCodec.fromJson(value);
        } catch (MalformedMessageException e) {
            // Not ours to dead-letter: the consumers that act on these events handle that. A view skips it.
            LOG.warnf("live event feed: skipping a malformed event (%s)", e.getMessage());
            return;
        }
        events.onNext(message);
    }

    /**
     * The events about the job or dataset with this id (the record key of both topics), from the moment
     * of subscription on. A subscriber more than 256 events behind fails with a back-pressure error (its
     * client starts again from a fresh snapshot) rather than holding the feed back for everyone.
     */
    public Multi<Message> about(String id) {
        // Filter first: the buffer then holds this view's events only, not every job's progress.
        return events.select().where(message -> id.equals(message.key())).onOverflow().buffer(256);
    }
}
