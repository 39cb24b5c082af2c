package dev.resnetops.ingestion.service;

import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.ingestion.archive.ArchiveFormat;
import dev.resnetops.ingestion.config.IngestionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ingestion consumer's own checks of a command, made before it reads anything: the orchestrator's API
 * checks the same request, but anybody who can write to the topic bypasses the API, so a command is
 * never trusted for being on the topic.
 */
@ApplicationScoped
public class IngestCommandCheck {

    /** The orchestrator's rule for dataset names (DatasetService). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Linux's PATH_MAX: no real source path is longer. */
    static final int MAX_SOURCE_CHARS = 4096;

    private final List<Path> allowedRoots;

    IngestCommandCheck(IngestionConfig config) {
        this.allowedRoots = config.allowedRoots().orElse(List.of()).stream()
                .map(IngestCommandCheck::real).toList();
    }

    /** Why the command must not be processed, or empty when it may be. */
    public Optional<String> refusal(IngestDataset command) {
        if (!NAME.matcher(command.name()).matches()) {
            return Optional.of("name '" + abbreviate(command.name()) + "' (" + command.name().length()
                    + " characters) is not a dataset name: 1-64 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit");
        }
        String source = command.source();
        if (source.length() > MAX_SOURCE_CHARS) {
            return Optional.of("source is " + source.length() + " characters long, over " + MAX_SOURCE_CHARS
                    + "; pass the path of a dataset folder or archive");
        }
        Path path;
        try {
            path = Path.of(source);
        } catch (InvalidPathException e) {
            return Optional.of("source '" + abbreviate(source) + "' is not a valid path (" + e.getReason() + ")");
        }
        if (!path.isAbsolute()) {
            return Optional.of("source '" + abbreviate(source) + "' must be an absolute path on the ingestion host");
        }
        if (!allowedRoots.isEmpty()) {
            // Symbolic links resolved: a link inside an allowed folder must not lead outside it.
            Path resolved = real(path.normalize());
            if (allowedRoots.stream().noneMatch(resolved::startsWith)) {
                return Optional.of("source '" + abbreviate(source) + "'" + (resolved.equals(path) ? ""
                        : " (" + resolved + ")") + " is outside the folders this service may read: "
                        + String.join(", ", allowedRoots.stream().map(Path::toString).toList())
                        + " (mlops.ingestion.allowed-roots)");
            }
        }
        if (Files.isRegularFile(path) && ArchiveFormat.of(path).isEmpty()) {
            return Optional.of("source '" + abbreviate(source) + "' is a file in an unknown format: expected a"
                    + " dataset folder or a .zip, .tar, .tar.gz or .tgz archive");
        }
        return Optional.empty();
    }

    /** The path with symbolic links resolved as far as it exists. */
    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            Path parent = absolute.getParent();
            return parent == null ? absolute : real(parent).resolve(absolute.getFileName());
        }
    }

    /** Hostile input can be megabytes long: a message quotes only its start. */
    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
