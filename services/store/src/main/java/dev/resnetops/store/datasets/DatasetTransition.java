package dev.resnetops.store.datasets;

import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.store.TransitionRefusedException;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every way a dataset registration's status may change: the rule table {@link DatasetStore} checks
 * before each write, under the row's lock. READY and FAILED are final: a source is registered again,
 * not re-ingested in place. A missing {@code from} means there is no row yet.
 */
public enum DatasetTransition {

    /** The orchestrator registers a source; the ingestion service is sent an IngestDataset. */
    REGISTER(null, DatasetStatus.INGESTING),
    /** Ingestion imported the source into a version (its shards). */
    READY(DatasetStatus.INGESTING, DatasetStatus.READY),
    /** Ingestion could not import the source, with the reason. */
    FAIL(DatasetStatus.INGESTING, DatasetStatus.FAILED),
    /** An IngestDataset sent without a registration (by hand): ingestion creates the row, READY. */
    READY_UNREGISTERED(null, DatasetStatus.READY),
    /** The same, FAILED. */
    FAIL_UNREGISTERED(null, DatasetStatus.FAILED);

    private final DatasetStatus from;
    private final DatasetStatus to;

    DatasetTransition(DatasetStatus from, DatasetStatus to) {
        this.from = from;
        this.to = to;
    }

    /** The status it leaves; empty for a registration that has no row yet. */
    public Optional<DatasetStatus> from() {
        return Optional.ofNullable(from);
    }

    public DatasetStatus to() {
        return to;
    }

    public static Optional<DatasetTransition> between(Optional<DatasetStatus> from, DatasetStatus to) {
        return Arrays.stream(values()).filter(t -> t.from == from.orElse(null) && t.to == to).findFirst();
    }

    /**
     * @param current the dataset's status now, empty when it has no row
     * @throws TransitionRefusedException when the rules have no way from {@code current} to {@code to}
     */
    public static DatasetTransition require(UUID datasetId, Optional<DatasetStatus> current, DatasetStatus to) {
        return between(current, to).orElseThrow(() -> refused(datasetId, current, to));
    }

    private static TransitionRefusedException refused(UUID datasetId, Optional<DatasetStatus> current,
                                                      DatasetStatus to) {
        String allowed = Arrays.stream(values()).filter(t -> t.from == current.orElse(null))
                .map(t -> t.to.name()).collect(Collectors.joining(" or "));
        String now = current.map(Enum::name).orElse("not registered");
        return new TransitionRefusedException("dataset " + datasetId + " cannot move from " + now + " to " + to
                + " (" + (allowed.isEmpty() ? now + " is final" : "from " + now + " it may only become " + allowed) + ")");
    }
}
