package dev.resnetops.ingestion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the ingestion service ({@code mlops.ingestion.*}). */
@ConfigMapping(prefix = "mlops.ingestion")
public interface IngestionConfig {

    /**
     * Root of the platform's files ({@code mlops.data-root}, env {@code MLOPS_DATA_ROOT}). Imported
     * datasets go to {@code <data-root>/datasets/<content hash>}; work folders are hidden siblings.
     */
    Path dataRoot();

    Archive archive();

    Retry retry();

    /**
     * How long one import (unpacking + reading + writing shards) may take before it is stopped and the
     * dataset marked FAILED, so that a source that hangs the reader (a stuck network mount, a pathological
     * file) cannot hold the queue. Six hours is several times an ILSVRC-2012 import on one node.
     */
    @WithDefault("PT6H")
    Duration timeLimit();

    /**
     * Folders that dataset sources must lie under (after symbolic links are resolved); empty means anywhere
     * the service can read. The same list as the orchestrator's {@code mlops.datasets.allowed-roots} (set
     * both with {@code MLOPS_DATASETS_ALLOWED_ROOTS}): the consumer checks each command itself rather than
     * trusting whoever wrote it to the topic.
     */
    Optional<List<Path>> allowedRoots();

    /**
     * Bounds on what one uploaded archive may expand to. They are checked against the bytes actually
     * written while streaming, never against sizes claimed in entry headers (a bomb lies there).
     */
    interface Archive {

        /**
         * Total bytes an archive may expand to. 16 GiB holds ImageNet-sized folders of JPEGs that people
         * actually upload as one file, while a bomb (a few KB growing to petabytes) stops long before it
         * fills the disk that the shards need too.
         */
        @WithDefault("17179869184")
        long maxExtractedBytes();

        /**
         * Entries (files and folders). ILSVRC-2012 has about 1.3 million images; 2 million leaves room and
         * stops archives of millions of empty entries that exhaust inodes without tripping the byte limit.
         */
        @WithDefault("2000000")
        int maxEntries();

        /**
         * Largest expansion of one entry (bytes written / compressed bytes read), checked once the entry
         * has produced more than a megabyte. Image files are already compressed (ratio near 1) and raw IDX
         * or CIFAR binaries compress about 2-10x; DEFLATE cannot exceed about 1032x, so 1000 only stops
         * entries that are essentially one repeated byte, i.e. padding built to blow up.
         */
        @WithDefault("1000")
        int maxCompressionRatio();
    }

    /**
     * In-process retries of a command that failed for a reason outside the dataset (database or disk
     * unavailable). Commands are handled one at a time in order, so retrying here keeps that order;
     * after the last attempt the command goes to the dead-letter topic with the reason, to be replayed.
     */
    interface Retry {

        @WithDefault("8")
        int maxAttempts();

        @WithDefault("PT1S")
        Duration initialBackoff();

        @WithDefault("PT30S")
        Duration maxBackoff();
    }
}
