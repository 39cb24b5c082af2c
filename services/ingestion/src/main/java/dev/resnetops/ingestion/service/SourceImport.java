package dev.resnetops.ingestion.service;

import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.ingestion.archive.ArchiveFormat;
import dev.resnetops.ingestion.archive.ArchiveLimits;
import dev.resnetops.ingestion.archive.ArchiveRejectedException;
import dev.resnetops.ingestion.archive.Extraction;
import dev.resnetops.ingestion.archive.SafeArchiveExtractor;
import dev.resnetops.ingestion.config.IngestionConfig;
import dev.resnetops.vision.data.DatasetException;
import dev.resnetops.vision.data.DatasetImporter;
import dev.resnetops.vision.data.ImageLimits;
import dev.resnetops.vision.data.ImportOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The part of an ingestion that reads the user's data: unpacks an archive safely and imports the source
 * into a fresh {@code .incoming/} folder with vision's importer. Everything it throws is about the data
 * or the files (the caller turns it into a FAILED dataset); it touches neither the database nor Kafka.
 */
@ApplicationScoped
public class SourceImport {

    private static final Logger LOG = Logger.getLogger(SourceImport.class);

    private final DatasetFolders folders;
    private final SafeArchiveExtractor extractor;

    SourceImport(DatasetFolders folders, IngestionConfig config) {
        this.folders = folders;
        this.extractor = new SafeArchiveExtractor(ArchiveLimits.from(config.archive()));
    }

    /** Unpacks (for archives) and imports the source; returns the import folder, complete with manifest. */
    public Path importSource(IngestDataset command) {
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
                    .withImageLimits(ImageLimits.DEFAULT)
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

    private static void progress(UUID datasetId, String line) {
        if (line.startsWith("quarantined ")) {
            LOG.debugf("dataset %s: %s", datasetId, line);
        } else {
            LOG.infof("dataset %s: %s", datasetId, line);
        }
    }
}
