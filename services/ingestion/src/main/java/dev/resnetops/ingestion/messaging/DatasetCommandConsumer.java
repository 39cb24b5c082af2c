package dev.resnetops.ingestion.messaging;

import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.ingestion.config.IngestionConfig;
import dev.resnetops.ingestion.service.IngestionService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@link IngestDataset} commands from {@code Topics.DATASET_COMMANDS}, one at a time and in order.
 *
 * <p>A record that is not a valid IngestDataset is thrown out at once: the channel's dead-letter-queue
 * strategy puts it on {@code Topics.DATASET_COMMANDS_DLQ} with the codec's reason in the
 * {@code dead-letter-reason} header, and the stream goes on. A valid command whose processing fails for
 * a reason outside the dataset (database or broker down) is retried here with backoff, which keeps the
 * order; after the last attempt the dataset is marked FAILED with that fault, and only a command for
 * which even that fails goes to the DLQ, to be replayed once the cause is fixed.
 */
@ApplicationScoped
public class DatasetCommandConsumer {

    /** The channel name in {@code application.properties} ({@code mp.messaging.incoming.dataset-commands.*}). */
    public static final String CHANNEL = "dataset-commands";

    private static final Logger LOG = Logger.getLogger(DatasetCommandConsumer.class);

    private final IngestionService ingestion;
    private final RetryPolicy retries;

    DatasetCommandConsumer(IngestionService ingestion, IngestionConfig config) {
        this.ingestion = ingestion;
        this.retries = RetryPolicy.from(config.retry());
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(Message<String> record) {
        IngestDataset command;
        try {
            command = MessageCodec.fromJson(record.getPayload(), IngestDataset.class);
        } catch (MalformedMessageException e) {
            // One line instead of the framework's stack trace: the reason travels with the record.
            LOG.warnf("record %s goes to the dead-letter topic: %s", position(record), e.getMessage());
            return record.nack(e);
        }
        String what = "dataset " + command.datasetId() + " (command " + command.messageId() + ")";
        try {
            retries.run(what, () -> ingestion.ingest(command));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return record.nack(e);
        } catch (RuntimeException | Error e) {
            return giveUp(record, command, what, e);
        }
        return record.ack();
    }

    /**
     * Retries ran out (the database or broker stayed down, or a fault that is no data problem kept
     * recurring): the dataset is marked FAILED with that fault, retried the same way since the database
     * may only now be back. Only when even that fails does the command go to the dead-letter topic.
     */
    private CompletionStage<Void> giveUp(Message<String> record, IngestDataset command, String what, Throwable e) {
        String fault = e instanceof RetryPolicy.ExhaustedException ? e.getMessage() : RetryPolicy.describe(e);
        try {
            retries.run(what + " marking FAILED", () -> ingestion.giveUp(command, fault));
            return record.ack();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return record.nack(e);
        } catch (RuntimeException | Error stillFailing) {
            LOG.errorf("%s: could not even mark the dataset FAILED (%s); the command goes to the dead-letter topic",
                    what, RetryPolicy.describe(stillFailing));
            return record.nack(e);
        }
    }

    private static String position(Message<String> record) {
        @SuppressWarnings("unchecked")
        Optional<IncomingKafkaRecordMetadata<String, String>> kafka =
                record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m);
        return kafka.map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset() + " (key " + m.getKey() + ")")
                .orElse("(no Kafka metadata)");
    }
}
