package dev.resnetops.ingestion.service;

import dev.resnetops.ingestion.archive.SafeArchiveExtractor;
import dev.resnetops.ingestion.config.IngestionConfig;
import dev.resnetops.vision.data.DatasetException;
import dev.resnetops.vision.data.DatasetManifest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The folders of {@code <data-root>/datasets}: one {@code <content hash>/} per imported version, and
 * hidden work folders ({@code .extract/<dataset id>/}, {@code .incoming/<dataset id>-<random>/}) on the
 * same file system, so that finishing an import is one atomic rename.
 */
@ApplicationScoped
public class DatasetFolders {

    private final Path datasets;

    DatasetFolders(IngestionConfig config) {
        this.datasets = config.dataRoot().toAbsolutePath().normalize().resolve("datasets");
    }

    /** Where an archive source of {@code datasetId} is unpacked (wiped before use, deleted after). */
    public Path extractionFolder(UUID datasetId) {
        return datasets.resolve(".extract").resolve(datasetId.toString());
    }

    /**
     * A fresh, not yet existing folder to import {@code datasetId} into. Leftovers of an earlier attempt
     * for the same dataset (a crash mid-import) are removed first; other datasets' work is left alone.
     */
    public Path newIncomingFolder(UUID datasetId) {
        Path incoming = datasets.resolve(".incoming");
        try {
            Files.createDirectories(incoming);
            String id = datasetId.toString();
            try (Stream<Path> list = Files.list(incoming)) {
                for (Path stale : list.filter(p -> p.getFileName().toString().startsWith(id + "-")
                        || p.getFileName().toString().startsWith("." + id + "-")).toList()) {
                    SafeArchiveExtractor.deleteTree(stale);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + incoming, e);
        }
        return incoming.resolve(datasetId + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The canonical home of a version's shards. */
    public Path shardFolder(String contentHash) {
        return datasets.resolve(contentHash);
    }

    /**
     * Puts the freshly imported {@code imported} folder at {@code target}, or discards it when
     * {@code target} already holds the same content (an earlier import, a concurrent one, or a run that
     * crashed after the rename). A {@code target} holding anything else is replaced.
     *
     * @return {@code target}
     */
    public Path place(Path imported, String contentHash, Path target) {
        try {
            if (holds(target, contentHash)) {
                SafeArchiveExtractor.deleteTree(imported);
                return target;
            }
            if (Files.exists(target)) {
                // Not a finished import of this content (renames are atomic, so this is foreign or damaged).
                Path aside = imported.resolveSibling("stale-" + target.getFileName() + "-" + UUID.randomUUID());
                Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
                SafeArchiveExtractor.deleteTree(aside);
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(imported, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another consumer placed the same content a moment ago.
                if (!holds(target, contentHash)) {
                    throw new IllegalStateException(target + " appeared during placement but does not hold "
                            + contentHash, e);
                }
                SafeArchiveExtractor.deleteTree(imported);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + imported + " to " + target, e);
        }
    }

    /** Removes a work folder, quietly: it only ever holds copies. */
    public void discard(Path folder) {
        try {
            SafeArchiveExtractor.deleteTree(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove work folder " + folder, e);
        }
    }

    private static boolean holds(Path folder, String contentHash) {
        if (!Files.isRegularFile(folder.resolve(DatasetManifest.FILE_NAME))) {
            return false;
        }
        try {
            return DatasetManifest.read(folder).contentHash().equals(contentHash);
        } catch (DatasetException e) {
            return false;
        }
    }

    /**
     * {@code text} with the extraction folder of {@code datasetId} shown as the archive it came from
     * ({@code /data/shapes.zip!/shapes/train/a.png}): the folder is gone once the import ends, the
     * archive is what the user has.
     */
    public String asArchivePaths(String text, UUID datasetId, String archive) {
        return text.replace(extractionFolder(datasetId) + "/", archive + "!/")
                .replace(extractionFolder(datasetId).toString(), archive + "!");
    }

    /** {@code <data-root>/datasets}. */
    public Path root() {
        return datasets;
    }
}
