package dev.resnetops.ingestion.archive;

import dev.resnetops.ingestion.config.IngestionConfig;

/**
 * Bounds on what one archive may expand to; see {@link IngestionConfig.Archive} for why each default
 * is what it is.
 *
 * @param maxBytes  total bytes written for all entries
 * @param maxEntries entries of any kind (files, folders)
 * @param maxRatio  bytes written / compressed bytes read, per entry, once the entry is past
 *                  {@link #RATIO_GRACE_BYTES}
 */
public record ArchiveLimits(long maxBytes, int maxEntries, int maxRatio) {

    /**
     * Small entries are exempt from the ratio rule: a few kilobytes of zeros legitimately compress
     * 100x or more and cannot hurt anyone.
     */
    public static final long RATIO_GRACE_BYTES = 1L << 20;

    public ArchiveLimits {
        if (maxBytes <= 0 || maxEntries <= 0 || maxRatio <= 0) {
            throw new IllegalArgumentException("archive limits must be positive, got maxBytes=" + maxBytes
                    + ", maxEntries=" + maxEntries + ", maxRatio=" + maxRatio);
        }
    }

    public static ArchiveLimits from(IngestionConfig.Archive config) {
        return new ArchiveLimits(config.maxExtractedBytes(), config.maxEntries(), config.maxCompressionRatio());
    }
}
