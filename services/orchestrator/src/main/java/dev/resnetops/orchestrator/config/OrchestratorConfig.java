package dev.resnetops.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The orchestrator's settings ({@code mlops.*}); production values come from {@code MLOPS_*} variables. */
@ConfigMapping(prefix = "mlops")
public interface OrchestratorConfig {

    Api api();

    Datasets datasets();

    interface Api {
        /**
         * The bearer token mutating requests must carry ({@code MLOPS_API_TOKEN}; {@code ./mlops up}
         * generates one). Without it, and with auth enabled, the service refuses to start.
         */
        Optional<String> token();

        /** Authentication is on unless explicitly turned off (e.g. behind a gateway that does it). */
        @WithDefault("true")
        boolean authEnabled();

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
}
