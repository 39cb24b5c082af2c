package dev.resnetops.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The orchestrator's settings ({@code mlops.*}); production values come from {@code MLOPS_*} variables. */
@ConfigMapping(prefix = "mlops")
public interface OrchestratorConfig {

    Api api();

    Datasets datasets();

    /**
     * The MLflow tracking server of the model registry operations ({@code MLOPS_MLFLOW_URL}). Part of this
     * mapping, not a loose {@code @ConfigProperty}: under the mapping's prefix an unmapped key failed the
     * start-up validation (SRCFG00050) whenever the variable was not set.
     */
    @WithDefault("http://127.0.0.1:5000")
    String mlflowUrl();

    /**
     * The MLflow account of this service ({@code MLOPS_MLFLOW_USER}; the local stack hands each service its own,
     * docs/security.md); none for a server without authentication.
     */
    Optional<String> mlflowUser();

    /** The password of {@link #mlflowUser()} ({@code MLOPS_MLFLOW_PASSWORD}); never logged. */
    Optional<String> mlflowPassword();

    Workflows workflows();

    Weights weights();

    interface Weights {
        /**
         * Where uploaded weights files are kept ({@code PUT /weights/{name}}), named by their SHA-256: a folder
         * on the storage every trainer mounts at the same path, since a job reads the file from there.
         */
        String folder();

        /** The largest weights file an upload may send (1 GiB: a ResNet-152 in float32 is 240 MB). */
        @WithDefault("1073741824")
        long maxBytes();
    }

    interface Api {
        /** Largest page a listing returns. */
        @WithDefault("200")
        int maxPageSize();
    }

    interface Datasets {
        /**
         * Only sources under these server-side folders may be registered (empty = anywhere the service
         * can read). A shared server should set this: a dataset path is a file-system read on its behalf.
         */
        Optional<java.util.List<String>> allowedRoots();
    }

    interface Workflows {
        /** The folder of workflow definitions ({@code workflows/} of the repository). */
        @WithDefault("workflows")
        String folder();

        /** Whether this instance advances runs. Several instances may: a run is locked while advanced. */
        @WithDefault("true")
        boolean engineEnabled();

        /** How often the engine looks at running workflows. */
        @WithDefault("1s")
        Duration tick();

        /** Attempts per step before it fails the run (the first one included). */
        @WithDefault("3")
        int maxAttempts();

        /** Wait before the first retry of a failed step; each further retry waits twice as long. */
        @WithDefault("30s")
        Duration retryBackoff();

        /** Upper bound of that wait. */
        @WithDefault("10m")
        Duration maxRetryBackoff();

        /** Trainings at the same time per run when the workflow sets no limits.max-parallel. */
        @WithDefault("2")
        int defaultMaxParallel();

        /**
         * How long an evaluate or export step waits for the evaluator's record of its job before it fails.
         * Nothing is resubmitted for these steps (the evaluator handles every completed job by itself), so
         * without a deadline a missing evaluator or a job it refused would hold the run for ever. The
         * default fits a full 10,000-image test split evaluated on a busy 2-core CPU with room to spare.
         */
        @WithDefault("3h")
        Duration evaluationDeadline();
    }
}
