package dev.resnetops.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The training worker's settings ({@code mlops.trainer.*}). */
@ConfigMapping(prefix = "mlops.trainer")
public interface TrainerConfig {

    /** This worker's name in job histories and MLflow tags; default host name + process id. */
    Optional<String> workerId();

    /** Where job folders (checkpoints, metrics, plots) live: {@code <jobs-dir>/<job id>/}. */
    String jobsDir();

    /**
     * How long a job stays leased to this worker without a heartbeat. A worker that dies (kill -9)
     * loses the job after this long and another worker (or its restart) resumes it.
     */
    @WithDefault("PT45S")
    Duration leaseDuration();

    /** How often the lease is renewed and the job's cancel flag read from the database. */
    @WithDefault("PT5S")
    Duration heartbeat();

    /** How often a running job publishes its progress (step, ETA) on Kafka and in PostgreSQL. */
    @WithDefault("PT2S")
    Duration progressInterval();

    /** The MLflow tracking server; unreachable is fine, tracking catches up later. */
    String mlflowUrl();

    /**
     * The MLflow account of this service ({@code MLOPS_MLFLOW_USER}; the local stack hands each service its own,
     * docs/security.md); none for a server without authentication.
     */
    Optional<String> mlflowUser();

    /** The password of {@link #mlflowUser()} ({@code MLOPS_MLFLOW_PASSWORD}); never logged. */
    Optional<String> mlflowPassword();

    /** How often the tracking relay retries MLflow while it is unreachable (doubling up to 30 s). */
    @WithDefault("PT1S")
    Duration trackingRetry();

    /**
     * How long the training-commands loop may go without progress (a poll, a training step, an epoch's end)
     * before readiness reports it STUCK. The longest normal gap is one step, or an epoch's evaluation pass
     * and checkpoint: raise it for big test splits or huge steps on a CPU.
     */
    @WithDefault("PT30M")
    Duration stuckAfter();

    /**
     * Sends a tracking row may fail permanently (MLflow refused it with a 4xx other than 401/403/408/429, or the
     * row cannot be read or its files not uploaded) before it is parked with its error, so the job's rows behind
     * it flow. MLflow unreachable or answering 5xx never counts: those rows wait until it is back.
     */
    @WithDefault("5")
    int trackingMaxAttempts();

    /** The largest tracking row (its JSON, in UTF-8 bytes) the tracking outbox accepts. */
    @WithDefault("1000000")
    int trackingMaxRowBytes();
}
