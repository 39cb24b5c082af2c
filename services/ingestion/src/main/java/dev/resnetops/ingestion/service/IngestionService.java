package dev.resnetops.ingestion.service;

import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.Problem;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.ingestion.archive.ArchiveFormat;
import dev.resnetops.ingestion.archive.ArchiveLimits;
import dev.resnetops.ingestion.archive.ArchiveRejectedException;
import dev.resnetops.ingestion.archive.Extraction;
import dev.resnetops.ingestion.archive.SafeArchiveExtractor;
import dev.resnetops.ingestion.config.IngestionConfig;
import dev.resnetops.messaging.Inbox;
import dev.resnetops.store.datasets.DatasetStore;
import dev.resnetops.store.datasets.NewDatasetVersion;
import dev.resnetops.store.datasets.StoredVersion;
import dev.resnetops.vision.data.DatasetException;
import dev.resnetops.vision.data.DatasetImporter;
import dev.resnetops.vision.data.DatasetManifest;
import dev.resnetops.vision.data.ImportOptions;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Turns one {@link IngestDataset} command into a READY dataset on a content-addressed version, or a
 * FAILED one with a reason the user can act on.
 *
 * <p>Effectively once: a command already in the inbox, or for a dataset that already finished, is
 * skipped; a version is identified by its content hash, so importing the same content again reuses it.
 * Problems with the data (bad archive, unreadable dataset, missing source) end as FAILED. Anything else
 * (database or disk unavailable) is thrown, leaves the command unprocessed, and is retried.
 */
@ApplicationScoped
public class IngestionService {

    private static final Logger LOG = Logger.getLogger(IngestionService.class);

    private final Inbox inbox;
    private final DatasetStore datasets;
    private final IngestionOutcomes outcomes;
    private final DatasetFolders folders;
    private final SafeArchiveExtractor extractor;
    private final MeterRegistry metrics;

    IngestionService(Inbox inbox, DatasetStore datasets, IngestionOutcomes outcomes, DatasetFolders folders,
                     IngestionConfig config, MeterRegistry metrics) {
        this.inbox = inbox;
        this.datasets = datasets;
        this.outcomes = outcomes;
        this.folders = folders;
        this.extractor = new SafeArchiveExtractor(ArchiveLimits.from(config.archive()));
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
        LOG.infof("dataset %s (%s): ingesting %s", datasetId, command.name(), command.source());

        DatasetManifest manifest;
        Path location;
        try {
            Path imported = importSource(command);
            manifest = DatasetManifest.read(imported);
            Path target = datasets.versionByHash(manifest.contentHash()).map(StoredVersion::shardLocation)
                    .map(Path::of).orElseGet(() -> folders.shardFolder(manifest.contentHash()));
            location = folders.place(imported, manifest.contentHash(), target);
        } catch (DatasetException | ArchiveRejectedException e) {
            fail(command, e.getMessage(), started);
            return;
        }

        NewDatasetVersion version = toVersion(manifest, location);
        Optional<UUID> versionId = outcomes.ready(command, version, manifest.problems().size());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        metrics.timer("ingestion.duration", "outcome", "ready").record(took);
        count("ready");
        LOG.infof("dataset %s READY in %.1f s: version %s (content %s), %s, %d classes, %d problems, at %s",
                datasetId, took.toMillis() / 1000.0, versionId.map(UUID::toString).orElse("(already recorded)"),
                manifest.contentHash().substring(0, 12), manifest.counts(), manifest.classes().size(),
                manifest.problems().size(), location);
    }

    /** Unpacks (for archives) and imports the source; returns the import folder, complete with manifest. */
    private Path importSource(IngestDataset command) {
        Path source;
        try {
            source = Path.of(command.source());
        } catch (InvalidPathException e) {
            throw new DatasetException(command.source() + ": not a valid path (" + e.getReason() + ")", e);
        }
        if (!Files.exists(source)) {
            throw new DatasetException(command.source() + ": no such file or folder on the ingestion host; pass a"
                    + " path that the ingestion service can read (a dataset folder or a .zip/.tar/.tar.gz archive)");
        }
        Optional<ArchiveFormat> format = Files.isRegularFile(source) ? ArchiveFormat.of(source) : Optional.empty();
        Path extractionFolder = folders.extractionFolder(command.datasetId());
        try {
            Path root = source;
            if (format.isPresent()) {
                Extraction extraction = extract(source, format.get(), extractionFolder);
                LOG.infof("dataset %s: unpacked %d entries, %d bytes from %s", command.datasetId(),
                        extraction.entries(), extraction.bytes(), source.getFileName());
                root = extraction.datasetRoot();
            }
            Path incoming = folders.newIncomingFolder(command.datasetId());
            DatasetImporter.importDataset(root, incoming, ImportOptions.defaults()
                    .withName(command.name())
                    .withProgress(line -> progress(command.datasetId(), line)));
            return incoming;
        } finally {
            if (format.isPresent()) {
                folders.discard(extractionFolder);
            }
        }
    }

    private Extraction extract(Path archive, ArchiveFormat format, Path folder) {
        try {
            return extractor.extract(archive, format, folder);
        } catch (IOException e) {
            throw new ArchiveRejectedException("cannot read the archive (" + e.getMessage() + "); check that it is"
                    + " a complete " + format.name().toLowerCase().replace('_', '.') + " file", e);
        }
    }

    private void fail(IngestDataset command, String problem, long started) {
        String reason = problem.startsWith(command.source()) ? problem : command.source() + ": " + problem;
        boolean announced = outcomes.failed(command, reason);
        metrics.timer("ingestion.duration", "outcome", "failed")
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        count("failed");
        LOG.warnf("dataset %s FAILED%s: %s", command.datasetId(), announced ? "" : " (already recorded)", reason);
    }

    private static void progress(UUID datasetId, String line) {
        if (line.startsWith("quarantined ")) {
            LOG.debugf("dataset %s: %s", datasetId, line);
        } else {
            LOG.infof("dataset %s: %s", datasetId, line);
        }
    }

    private void count(String outcome) {
        metrics.counter("ingestion.datasets", "outcome", outcome).increment();
    }

    static NewDatasetVersion toVersion(DatasetManifest manifest, Path location) {
        Map<String, Map<String, Integer>> classCounts = new LinkedHashMap<>();
        manifest.classCounts().forEach((split, perClass) -> {
            Map<String, Integer> byName = new LinkedHashMap<>();
            for (int i = 0; i < perClass.size(); i++) {
                byName.put(manifest.classes().get(i), perClass.get(i));
            }
            classCounts.put(split, byName);
        });
        List<Problem> quarantine = manifest.problems().stream()
                .map(p -> new Problem(p.location(), p.reason())).toList();
        return new NewDatasetVersion(manifest.contentHash(), manifest.sourceFormat().id(), manifest.classes(),
                manifest.counts(), classCounts, manifest.channels(), manifest.height(), manifest.width(),
                manifest.mean(), manifest.std(), location.toString(), quarantine);
    }
}
