package dev.resnetops.ingestion.service;

import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.Problem;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.ingestion.service.TimeLimitedImport.ImportFailedException;
import dev.resnetops.messaging.Inbox;
import dev.resnetops.store.datasets.DatasetStore;
import dev.resnetops.store.datasets.NewDatasetVersion;
import dev.resnetops.store.datasets.StoredVersion;
import dev.resnetops.vision.data.DatasetManifest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Turns one {@link IngestDataset} command into a READY dataset on a content-addressed version, or a
 * FAILED one with a reason the user can act on.
 *
 * <p>Effectively once: a command already in the inbox, or for a dataset that already finished, is
 * skipped; a version is identified by its content hash, so importing the same content again reuses it.
 * A command that fails the consumer's own checks ({@link IngestCommandCheck}) is refused before anything
 * is read. Whatever goes wrong while reading the data (a bad archive or file, an exception, an
 * {@link Error}, the time limit) ends the dataset FAILED with a message naming the source and the problem.
 * Only the database and the broker are retried: their failures are thrown, leave the command
 * unprocessed, and come back through {@code DatasetCommandConsumer}'s retries, after which
 * {@link #giveUp} marks the dataset FAILED.
 */
@ApplicationScoped
public class IngestionService {

    private static final Logger LOG = Logger.getLogger(IngestionService.class);

    private final Inbox inbox;
    private final DatasetStore datasets;
    private final IngestionOutcomes outcomes;
    private final DatasetFolders folders;
    private final SourceImport sourceImport;
    private final TimeLimitedImport timeLimited;
    private final IngestCommandCheck check;
    private final MeterRegistry metrics;

    IngestionService(Inbox inbox, DatasetStore datasets, IngestionOutcomes outcomes, DatasetFolders folders,
                     SourceImport sourceImport, TimeLimitedImport timeLimited, IngestCommandCheck check,
                     MeterRegistry metrics) {
        this.inbox = inbox;
        this.datasets = datasets;
        this.outcomes = outcomes;
        this.folders = folders;
        this.sourceImport = sourceImport;
        this.timeLimited = timeLimited;
        this.check = check;
        this.metrics = metrics;
    }

    public void ingest(IngestDataset command) {
        UUID datasetId = command.datasetId();
        if (inbox.alreadyProcessed(IngestionOutcomes.CONSUMER, command.messageId())) {
            LOG.debugf("dataset %s: command %s was already processed; skipping the redelivery", datasetId,
                    command.messageId());
            count("skipped");
            return;
        }
        Optional<DatasetStatus> status = datasets.status(datasetId);
        if (status.isPresent() && status.get() != DatasetStatus.INGESTING) {
            LOG.infof("dataset %s is already %s; ignoring command %s", datasetId, status.get(), command.messageId());
            count("skipped");
            return;
        }
        long started = System.nanoTime();
        Optional<String> refusal = check.refusal(command);
        if (refusal.isPresent()) {
            refuse(command, refusal.get(), status.isPresent(), started);
            return;
        }
        LOG.infof("dataset %s (%s): ingesting %s", datasetId, command.name(), command.source());

        Path imported;
        DatasetManifest manifest;
        try {
            imported = timeLimited.run(command.source(), () -> sourceImport.importSource(command));
            manifest = timeLimited.run(command.source(), () -> DatasetManifest.read(imported));
        } catch (ImportFailedException e) {
            fail(command, e.getMessage(), started);
            return;
        }
        Path target = datasets.versionByHash(manifest.contentHash()).map(StoredVersion::shardLocation)
                .map(Path::of).orElseGet(() -> folders.shardFolder(manifest.contentHash()));
        Path location;
        try {
            location = timeLimited.run(command.source(), () -> folders.place(imported, manifest.contentHash(), target));
        } catch (ImportFailedException e) {
            fail(command, e.getMessage(), started);
            return;
        }

        NewDatasetVersion version = toVersion(manifest, location,
                text -> folders.asArchivePaths(text, datasetId, command.source()));
        Optional<UUID> versionId = outcomes.ready(command, version, manifest.problems().size());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        metrics.timer("ingestion.duration", "outcome", "ready").record(took);
        count("ready");
        LOG.infof("dataset %s READY in %.1f s: version %s (content %s), %s, %d classes, %d problems, at %s",
                datasetId, took.toMillis() / 1000.0, versionId.map(UUID::toString).orElse("(already recorded)"),
                manifest.contentHash().substring(0, 12), manifest.counts(), manifest.classes().size(),
                manifest.problems().size(), location);
    }

    /**
     * The end of a command whose retries ran out on a fault outside the data (database, broker): the
     * dataset is marked FAILED with that fault, so that it does not stay INGESTING. Throws like
     * {@link #ingest} when the database is still unavailable.
     */
    public void giveUp(IngestDataset command, String fault) {
        Optional<DatasetStatus> status = datasets.status(command.datasetId());
        if (status.isPresent() && status.get() != DatasetStatus.INGESTING) {
            return;
        }
        fail(command, "ingestion gave up after repeated failures outside the dataset (" + fault + "); fix the"
                + " cause (see the ingestion service's log) and register the dataset again", System.nanoTime());
    }

    /**
     * A command the consumer's own checks refuse: a dataset row that exists ends FAILED with the reason; a
     * command for no known dataset (forged, or sent by hand) is only logged and counted, and creates nothing.
     */
    private void refuse(IngestDataset command, String reason, boolean datasetExists, long started) {
        metrics.counter("ingestion.commands.refused").increment();
        if (datasetExists) {
            fail(command, reason, started);
        } else {
            LOG.warnf("command %s for unknown dataset %s refused, nothing done: %s", command.messageId(),
                    command.datasetId(), reason);
            count("refused");
        }
    }

    private void fail(IngestDataset command, String problem, long started) {
        String shown = folders.asArchivePaths(problem, command.datasetId(), command.source());
        String reason = shown.startsWith(command.source()) ? shown : command.source() + ": " + shown;
        boolean announced = outcomes.failed(command, reason);
        metrics.timer("ingestion.duration", "outcome", "failed")
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        count("failed");
        LOG.warnf("dataset %s FAILED%s: %s", command.datasetId(), announced ? "" : " (already recorded)", reason);
    }

    private void count(String outcome) {
        metrics.counter("ingestion.datasets", "outcome", outcome).increment();
    }

    static NewDatasetVersion toVersion(DatasetManifest manifest, Path location, UnaryOperator<String> shownPath) {
        Map<String, Map<String, Integer>> classCounts = new LinkedHashMap<>();
        manifest.classCounts().forEach((split, perClass) -> {
            Map<String, Integer> byName = new LinkedHashMap<>();
            for (int i = 0; i < perClass.size(); i++) {
                byName.put(manifest.classes().get(i), perClass.get(i));
            }
            classCounts.put(split, byName);
        });
        List<Problem> quarantine = manifest.problems().stream()
                .map(p -> new Problem(shownPath.apply(p.location()), shownPath.apply(p.reason()))).toList();
        return new NewDatasetVersion(manifest.contentHash(), manifest.sourceFormat().id(), manifest.classes(),
                manifest.counts(), classCounts, manifest.channels(), manifest.height(), manifest.width(),
                manifest.mean(), manifest.std(), location.toString(), quarantine);
    }
}
