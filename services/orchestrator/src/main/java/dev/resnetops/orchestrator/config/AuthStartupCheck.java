package dev.resnetops.orchestrator.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Refuses to start an API that would accept every mutating request because nobody set a token. */
@ApplicationScoped
public class AuthStartupCheck {

    private static final Logger LOG = Logger.getLogger(AuthStartupCheck.class);

    void check(@Observes StartupEvent event, OrchestratorConfig config) {
        if (!config.api().authEnabled()) {
            LOG.warn("API authentication is OFF (mlops.api.auth-enabled=false): anyone who reaches the port can submit jobs");
            return;
        }
        if (config.api().token().filter(t -> !t.isBlank()).isEmpty()) {
            throw new IllegalStateException("no API token: set MLOPS_API_TOKEN (./mlops up generates one in"
                    + " .mlops/infra/api-token), or set mlops.api.auth-enabled=false to run without authentication");
        }
    }
}
