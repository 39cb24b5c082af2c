package dev.resnetops.vision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Turns what a user typed ({@code fashion-mnist}, a source folder, an imported dataset folder) into an
 * opened {@link ShardedDataset}, importing into a cache the first time.
 *
 * <p>The cache key hashes the source path, total size and newest modification time, so editing the
 * source makes a new import instead of silently reusing stale shards.
 */
public final class DatasetResolver {

    private final Map<String, DebianDatasetPackage> wellKnown;
    private final ImportOptions importOptions;

    /** Resolves {@code fashion-mnist} through its Debian package. */
    public DatasetResolver() {
        this(Map.of("fashion-mnist", DebianDatasetPackage.FASHION_MNIST), ImportOptions.defaults());
    }

    public DatasetResolver(Map<String, DebianDatasetPackage> wellKnown, ImportOptions importOptions) {
        this.wellKnown = Map.copyOf(wellKnown);
        this.importOptions = importOptions;
    }

    public ShardedDataset resolve(String spec, Path cacheRoot, Consumer<String> log) {
        String key = spec.strip().toLowerCase(Locale.ROOT);
        Path source;
        if (wellKnown.containsKey(key)) {
            source = wellKnown.get(key).ensureInstalled(log);
        } else if (key.equals("mnist")) {
            throw new DatasetException("mnist: no system package provides it; download the four IDX files from"
                    + " the MNIST site into a folder and pass that folder's path");
        } else {
            source = Path.of(spec);
            if (!Files.exists(source)) {
                throw new DatasetException(spec + ": neither a known dataset name (" + String.join(", ", wellKnown.keySet())
                        + ") nor an existing path");
            }
        }
        if (Files.isRegularFile(source.resolve(DatasetManifest.FILE_NAME))) {
            log.accept("opening imported dataset " + source);
            return ShardedDataset.open(source);
        }
        String name = wellKnown.containsKey(key) ? key : source.toAbsolutePath().normalize().getFileName().toString();
        Path cached = cacheRoot.resolve(name + "-" + sourceFingerprint(source));
        if (Files.isRegularFile(cached.resolve(DatasetManifest.FILE_NAME))) {
            log.accept("using cached import " + cached);
            return ShardedDataset.open(cached);
        }
        log.accept("importing " + source + " into " + cached);
        try {
            Files.createDirectories(cacheRoot);
            DatasetImporter.importDataset(source, cached, importOptions.withName(name).withProgress(log));
        } catch (IOException e) {
            throw new DatasetException(cacheRoot + ": cannot create cache folder: " + e.getMessage(), e);
        } catch (DatasetException e) {
            // Another process may have finished the same import first; its result is just as good.
            if (!Files.isRegularFile(cached.resolve(DatasetManifest.FILE_NAME))) {
                throw e;
            }
        }
        return ShardedDataset.open(cached);
    }

    /** First 12 hex digits of SHA-256 over the absolute path, total file size, newest mtime and format version. */
    static String sourceFingerprint(Path source) {
        long[] sizeAndNewest = new long[2];
        try (Stream<Path> files = Files.walk(source)) {
            files.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        sizeAndNewest[0] += a.size();
                    }
                    sizeAndNewest[1] = Math.max(sizeAndNewest[1], a.lastModifiedTime().toMillis());
                } catch (IOException e) {
                    throw new DatasetException(p + ": cannot read file attributes: " + e.getMessage(), e);
                }
            });
        } catch (IOException e) {
            throw new DatasetException(source + ": cannot list: " + e.getMessage(), e);
        }
        // The format version is part of the identity: a cache written by an older format is not reused
        // (and not refused either): the source is simply imported again.
        String identity = source.toAbsolutePath().normalize() + "|" + sizeAndNewest[0] + "|" + sizeAndNewest[1]
                + "|format " + DatasetManifest.CURRENT_FORMAT_VERSION;
        return Sha256.hex(identity).substring(0, 12);
    }
}
