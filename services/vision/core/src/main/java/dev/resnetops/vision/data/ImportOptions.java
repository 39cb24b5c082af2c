package dev.resnetops.vision.data;

import java.util.function.Consumer;

/**
 * Settings for {@link DatasetImporter}. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods.
 *
 * @param name          dataset name for the manifest; null means the source folder's name
 * @param storage       force a storage kind; null chooses RAW_UINT8 for same-size images of at most
 *                      {@code maxRawSide} pixels, else ENCODED
 * @param maxRawSide    largest image side stored raw when {@code storage} is null
 * @param shortSide     ENCODED: images whose shorter side is larger are shrunk to this (never enlarged)
 * @param encoding      ENCODED: "jpeg" or "png"
 * @param jpegQuality   ENCODED with jpeg: quality in (0, 1]
 * @param maxShardBytes upper bound of a shard file's size
 * @param progress      receives a line now and then during long imports
 * @param imageLimits   what an image file of the source must satisfy before it is decoded; refused files
 *                      are quarantined with the reason
 */
public record ImportOptions(String name, StorageKind storage, int maxRawSide, int shortSide, String encoding,
                            float jpegQuality, long maxShardBytes, Consumer<String> progress,
                            ImageLimits imageLimits) {

    public ImportOptions {
        if (!"jpeg".equals(encoding) && !"png".equals(encoding)) {
            throw new IllegalArgumentException("encoding must be \"jpeg\" or \"png\", got " + encoding);
        }
        if (shortSide <= 0 || maxRawSide <= 0 || jpegQuality <= 0 || jpegQuality > 1) {
            throw new IllegalArgumentException("shortSide and maxRawSide must be positive, jpegQuality in (0, 1]");
        }
        progress = progress == null ? line -> { } : progress;
        imageLimits = imageLimits == null ? ImageLimits.DEFAULT : imageLimits;
    }

    public static ImportOptions defaults() {
        return new ImportOptions(null, null, 64, 256, "jpeg", 0.95f, ShardWriter.DEFAULT_MAX_SHARD_BYTES, null,
                ImageLimits.DEFAULT);
    }

    public ImportOptions withName(String newName) {
        return new ImportOptions(newName, storage, maxRawSide, shortSide, encoding, jpegQuality, maxShardBytes,
                progress, imageLimits);
    }

    public ImportOptions withStorage(StorageKind kind) {
        return new ImportOptions(name, kind, maxRawSide, shortSide, encoding, jpegQuality, maxShardBytes,
                progress, imageLimits);
    }

    public ImportOptions withShortSide(int side) {
        return new ImportOptions(name, storage, maxRawSide, side, encoding, jpegQuality, maxShardBytes,
                progress, imageLimits);
    }

    public ImportOptions withEncoding(String format) {
        return new ImportOptions(name, storage, maxRawSide, shortSide, format, jpegQuality, maxShardBytes,
                progress, imageLimits);
    }

    public ImportOptions withMaxShardBytes(long bytes) {
        return new ImportOptions(name, storage, maxRawSide, shortSide, encoding, jpegQuality, bytes,
                progress, imageLimits);
    }

    public ImportOptions withProgress(Consumer<String> callback) {
        return new ImportOptions(name, storage, maxRawSide, shortSide, encoding, jpegQuality, maxShardBytes,
                callback, imageLimits);
    }

    public ImportOptions withImageLimits(ImageLimits limits) {
        return new ImportOptions(name, storage, maxRawSide, shortSide, encoding, jpegQuality, maxShardBytes, progress,
                limits);
    }
}
