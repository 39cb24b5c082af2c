package dev.resnetops.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The evaluator's settings ({@code mlops.evaluator.*}). */
@ConfigMapping(prefix = "mlops.evaluator")
public interface EvaluatorConfig {

    /**
     * Test images evaluated per job: 0 = the whole test split (the number a model version is judged by);
     * a positive value takes a fixed seeded subset, so CI can bound the time.
     */
    @WithDefault("0")
    int maxTestSamples();

    /** Test-split images the ONNX parity gate compares DJL and ONNX Runtime on. */
    @WithDefault("64")
    int parityImages();

    /** Images per ONNX Runtime call during evaluation. */
    @WithDefault("64")
    int batchSize();

    /**
     * The threads ONNX Runtime evaluates the test split with; 0 = the processors this JVM may use
     * ({@code Runtime.availableProcessors()}, which honours a container's CPU limit).
     */
    @WithDefault("0")
    int onnxThreads();

    /**
     * Test-split batches run at once, each on its own thread; the {@link #onnxThreads()} are shared between
     * them (each run gets threads / batches intra-op threads, at least one). 0 = one batch per thread, which
     * on a CPU at small input sizes keeps every core busy where one batch split over the cores does not
     * (docs/benchmarks.md); 1 = one batch at a time on all threads (better for large inputs or a GPU).
     */
    @WithDefault("0")
    int onnxConcurrentBatches();

    /** Threads decoding and preprocessing test images. */
    @WithDefault("2")
    int loaderWorkers();

    /** The MLflow tracking server (runs, artifacts, model registry). */
    String mlflowUrl();

    /**
     * The MLflow account of this service ({@code MLOPS_MLFLOW_USER}; the local stack hands each service its own,
     * docs/security.md); none for a server without authentication.
     */
    Optional<String> mlflowUser();

    /** The password of {@link #mlflowUser()} ({@code MLOPS_MLFLOW_PASSWORD}); never logged. */
    Optional<String> mlflowPassword();

    /** The Kafka consumer group reading training events. */
    @WithDefault("evaluator")
    String consumerGroup();

    /**
     * Where a consumer group without committed offsets starts: {@code earliest} evaluates every finished
     * job still on the topic (reprocessing is skipped per job), {@code latest} only new ones.
     */
    @WithDefault("earliest")
    String autoOffsetReset();

    Retry retry();

    /** Backoff while MLflow or the database is unavailable, or the job's MLflow run does not exist yet. */
    interface Retry {

        /** The first wait; doubled after every failed attempt. */
        @WithDefault("PT2S")
        Duration initialBackoff();

        /** The longest wait between attempts. */
        @WithDefault("PT1M")
        Duration maxBackoff();

        /**
         * How long after a job completed the evaluator waits for its MLflow run while MLflow itself answers.
         * Events are handled in order, so a job whose run never comes (its trainer's relay gave up, or the
         * job came from another stack) would otherwise hold back every later job; past this it is skipped
         * with an error naming it. An MLflow outage never counts: then the event waits as long as it takes.
         */
        @WithDefault("PT30M")
        Duration mlflowRunWait();
    }
}
