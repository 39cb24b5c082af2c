package dev.resnetops.ingestion.service;

import dev.resnetops.contracts.messages.DatasetFailed;
import dev.resnetops.contracts.messages.DatasetReady;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.messaging.Inbox;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.TransitionRefusedException;
import dev.resnetops.store.datasets.DatasetStore;
import dev.resnetops.store.datasets.NewDatasetVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records the end of an ingestion in one transaction: the version row, the dataset's status, the event
 * in the outbox and the command in the inbox commit together or not at all.
 */
@ApplicationScoped
public class IngestionOutcomes {

    /** This service's name in the inbox table. */
    public static final String CONSUMER = "ingestion";

    private static final Logger LOG = Logger.getLogger(IngestionOutcomes.class);

    private final DatasetStore datasets;
    private final OutboxWriter outbox;
    private final Inbox inbox;

    IngestionOutcomes(DatasetStore datasets, OutboxWriter outbox, Inbox inbox) {
        this.datasets = datasets;
        this.outbox = outbox;
        this.inbox = inbox;
    }

    /**
     * Inserts (or reuses) the version, marks the dataset READY and announces it.
     *
     * @return the version id, or empty when nothing was announced: the command was processed concurrently,
     *         or the dataset had already finished
     */
    @Transactional
    public Optional<UUID> ready(IngestDataset command, NewDatasetVersion version, int quarantined) {
        // First, so a concurrent duplicate stops here before writing anything else.
        if (!inbox.markProcessed(CONSUMER, command.messageId())) {
            return Optional.empty();
        }
        UUID versionId = datasets.insertVersion(version);
        if (!finish(() -> datasets.markReady(command.datasetId(), command.name(), command.source(), versionId,
                version.quarantine()))) {
            return Optional.empty();
        }
        outbox.append(DatasetReady.of(command.datasetId(), versionId, version.contentHash(), version.shardLocation(),
                version.classes(), version.counts(), quarantined));
        return Optional.of(versionId);
    }

    /** Marks the dataset FAILED with {@code reason} and announces it; false when nothing was announced. */
    @Transactional
    public boolean failed(IngestDataset command, String reason) {
        if (!inbox.markProcessed(CONSUMER, command.messageId())) {
            return false;
        }
        if (!finish(() -> datasets.markFailed(command.datasetId(), command.name(), command.source(), reason))) {
            return false;
        }
        outbox.append(DatasetFailed.of(command.datasetId(), reason));
        return true;
    }

    /**
     * The status change; false when the dataset finished meanwhile (another instance got the same command
     * first). The inbox row and the version still commit: the command was handled, by whoever came first.
     */
    private static boolean finish(Runnable statusChange) {
        try {
            statusChange.run();
            return true;
        } catch (TransitionRefusedException e) {
            LOG.infof("%s; this command changes nothing", e.getMessage());
            return false;
        }
    }
}
