package dev.resnetops.inference.config;

import dev.resnetops.vision.data.ImageLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The inference service's settings ({@code mlops.inference.*}); docs/inference.md lists them with their variables. */
@ConfigMapping(prefix = "mlops.inference")
public interface InferenceConfig {

    /** The registered model to serve, e.g. {@code resnetops-fashion-mnist} (the evaluator names them after the dataset). */
    String model();

    /** The alias whose version is served; the service follows it when it moves. */
    @WithDefault("champion")
    String alias();

    /**
     * Names this instance: its Kafka transactional id and model-events group derive from it, so it must be
     * unique among running instances and stable across restarts of the same one (a restart then fences
     * its predecessor's unfinished transaction at once instead of after the transaction timeout).
     * Default: host name and HTTP port.
     */
    Optional<String> instanceId();

    /** MLflow, the model registry. */
    String mlflowUrl();

    /**
     * The MLflow account of this service ({@code MLOPS_MLFLOW_USER}; the local stack hands each service its own,
     * docs/security.md); none for a server without authentication.
     */
    Optional<String> mlflowUser();

    /** The password of {@link #mlflowUser()} ({@code MLOPS_MLFLOW_PASSWORD}); never logged. */
    Optional<String> mlflowPassword();

    /** Where downloaded model files are kept, one folder per model version. */
    String cacheDir();

    /** ONNX Runtime intra-op threads; 0 = one per core. */
    @WithDefault("0")
    int threads();

    /**
     * Whether ONNX Runtime's intra-op threads spin between operators (its own default) rather than sleep. Off:
     * the service's cores are shared with its Kafka and HTTP threads (and on one host with the broker), and
     * spinning workers beside them made the stream's tail latency twice as long (docs/benchmarks.md). On for
     * a host or GPU given to the service alone.
     */
    @WithDefault("false")
    boolean spinWait();

    /** Labels per prediction. */
    @WithDefault("5")
    int topK();

    /**
     * Largest accepted encoded image; larger ones are refused (REST 413) or dead-lettered. The default is
     * the platform's one byte limit ({@link ImageLimits}), shared with ingestion and the dataset readers.
     */
    @WithDefault(ImageLimits.DEFAULT_MAX_BYTES_TEXT)
    int maxImageBytes();

    /**
     * Largest accepted image in pixels, checked from the header before decoding. The default is the
     * platform's one pixel limit ({@link ImageLimits}); a lower value narrows it here, a higher one is refused.
     */
    @WithDefault(ImageLimits.DEFAULT_MAX_PIXELS_TEXT)
    long maxPixels();

    /** How often the registry is asked for the alias besides the model events (a move made in the MLflow UI has none). */
    @WithDefault("PT30S")
    Duration registryPollInterval();

    /**
     * How long the model watcher may go without finishing a poll or a refresh before readiness reports it
     * STUCK: a refresh downloads, checks and warms up a model, minutes for a big one.
     */
    @WithDefault("PT10M")
    Duration watcherStuckAfter();

    /** Dynamic batching of {@code POST /classify}. */
    RestBatching restBatching();

    Stream stream();

    interface Stream {

        /** Whether this instance classifies the image stream (REST is always on). */
        @WithDefault("true")
        boolean enabled();

        /** The consumer group sharing the images topic between instances. */
        @WithDefault("inference")
        String consumerGroup();

        /** Images classified together at most. */
        @WithDefault("32")
        int maxBatchSize();

        /** How long the first image of a batch waits for more before the batch runs anyway. */
        @WithDefault("PT0.02S")
        Duration maxBatchWait();

        /**
         * Kafka's limit for an open transaction. After a crash, a predecessor's open transaction blocks
         * read_committed consumers of its partitions until this passes (unless the same instance id
         * restarts first), so it is kept short; one batch takes far less.
         */
        @WithDefault("PT15S")
        Duration transactionTimeout();

        /**
         * How long a session may go without finishing a poll or a batch before readiness reports the stream
         * STUCK. Polls return within 500 ms, but closing a producer after the broker went away waits out
         * its delivery timeout (2 min): STUCK only well beyond that.
         */
        @WithDefault("PT5M")
        Duration stuckAfter();

        /** Where the stream starts for a group without committed offsets. */
        @WithDefault("earliest")
        String autoOffsetReset();
    }

    /**
     * Concurrent {@code POST /classify} requests share ONNX Runtime calls: each request thread decodes and
     * preprocesses its image, then the images queue and run as one batch when {@link #maxBatchSize()} are
     * there or {@link #maxWait()} has passed since the first of them was queued. One batch of N costs less
     * CPU than N single runs one after another (docs/benchmarks.md). A size of 1 or a wait of 0 turns it off:
     * every request then runs alone on its own thread, as before.
     */
    interface RestBatching {

        /** Images per batch at most; 32 covers 32 concurrent clients in one run on a 2-core CPU. */
        @WithDefault("32")
        int maxBatchSize();

        /**
         * How long the first queued image waits for others. Short: under load the queue fills while the
         * previous batch runs, so the wait only matters to a lone request, which pays it in full.
         */
        @WithDefault("PT0.005S")
        Duration maxWait();

        /**
         * Images queued at most; beyond, a request is answered 503 with Retry-After rather than waiting
         * behind a queue that only grows. 256 is 8 full batches, well under a second on a 2-core CPU.
         */
        @WithDefault("256")
        int maxQueued();

        /**
         * Batches that may run at once, each on its own thread. Two on a 2-core CPU: one batch gathers while
         * the other runs, and two running ONNX Runtime calls keep both cores busier than one (measured in
         * docs/benchmarks.md: more images per CPU-second and per second than one at a time).
         */
        @WithDefault("2")
        int concurrentBatches();
    }
}
