package dev.resnetops.ingestion.service;

import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.messaging.Inbox;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.datasets.DatasetStore;
import dev.resnetops.store.datasets.NewDatasetVersion;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.Optional;
import java.util.UUID;

/**
 * The real {@link IngestionOutcomes}, except that recording READY fails every time for datasets named
 * {@code db-down-*}, as it does while PostgreSQL refuses connections: a transient fault that outlasts
 * the retries. Recording FAILED works (the database is back by then).
 */
public final class DatabaseDownOutcomes extends IngestionOutcomes {

    public DatabaseDownOutcomes(DatasetStore datasets, OutboxWriter outbox, Inbox inbox) {
        super(datasets, outbox, inbox);
    }

    @Override
    public Optional<UUID> ready(IngestDataset command, NewDatasetVersion version, int quarantined) {
        if (command.name().startsWith("db-down-")) {
            throw new IllegalStateException("cannot mark dataset " + command.datasetId() + " READY",
                    new java.sql.SQLException("Connection to 127.0.0.1:5433 refused", "08001"));
        }
        return QuarkusTransaction.requiringNew().call(() -> super.ready(command, version, quarantined));
    }

    @Override
    public boolean failed(IngestDataset command, String reason) {
        // Built outside CDI, so no @Transactional interceptor: open the transaction the real bean would.
        return QuarkusTransaction.requiringNew().call(() -> super.failed(command, reason));
    }
}
