package dev.resnetops.ingestion.messaging;

import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.ingestion.config.IngestionConfig;
import dev.resnetops.ingestion.service.IngestionService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@link IngestDataset} commands from {@code Topics.DATASET_COMMANDS}, one at a time and in order.
 *
 * <p>A record that is not a valid IngestDataset is thrown out at once: the channel's dead-letter-queue
 * strategy puts it on {@code Topics.DATASET_COMMANDS_DLQ} with the codec's reason in the
 * {@code dead-letter-reason} header, and the stream goes on. A valid command whose processing fails for
 * a reason outside the dataset (database or disk down) is retried here with backoff, which keeps the
 * order; only after the last attempt does it go to the DLQ, to be replayed once the cause is fixed.
 */
@ApplicationScoped
public class DatasetCommandConsumer {

    /** The channel name in {@code application.properties} ({@code mp.messaging.incoming.dataset-commands.*}). */
    public static final String CHANNEL = "dataset-commands";

    private static final Logger LOG = Logger.getLogger(DatasetCommandConsumer.class);

    private final IngestionService ingestion;
    private final IngestionConfig.Retry retry;

    DatasetCommandConsumer(IngestionService ingestion, IngestionConfig config) {
        this.ingestion = ingestion;
        this.retry = config.retry();
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(String payload) throws InterruptedException {
        IngestDataset command = MessageCodec.fromJson(payload, IngestDataset.class);
        Duration backoff = retry.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                ingestion.ingest(command);
                return;
            } catch (MalformedMessageException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= retry.maxAttempts()) {
                    LOG.errorf(e, "dataset %s: giving up on command %s after %d attempts; it goes to the dead-letter"
                            + " topic to be replayed", command.datasetId(), command.messageId(), attempt);
                    throw new IllegalStateException("gave up after " + attempt + " attempts: " + describe(e), e);
                }
                LOG.warnf("dataset %s: attempt %d of %d failed (%s); retrying in %d ms", command.datasetId(), attempt,
                        retry.maxAttempts(), describe(e), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(retry.maxBackoff()) > 0
                        ? retry.maxBackoff() : backoff.multipliedBy(2);
            }
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
