package dev.resnetops.orchestrator.service.workflow;

import dev.resnetops.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * When a failed step is tried again. Exponential backoff: a training that failed because a worker or
 * the dataset store had a bad moment usually succeeds a little later, and doubling the wait keeps a
 * step that fails for good from filling the cluster with doomed jobs before its attempts are spent.
 */
@ApplicationScoped
public class RetryPolicy {

    private final OrchestratorConfig.Workflows config;

    RetryPolicy(OrchestratorConfig config) {
        this.config = config.workflows();
    }

    /** Whether a step whose {@code attempt}-th attempt failed gets another one. */
    boolean allowsAnother(int attempt) {
        return attempt < config.maxAttempts();
    }

    int maxAttempts() {
        return config.maxAttempts();
    }

    /** When the next attempt after the {@code attempt}-th (1-based) failed one is due. */
    Instant nextAttemptAfter(int attempt, Instant now) {
        Duration wait = config.retryBackoff();
        for (int i = 1; i < attempt && wait.compareTo(config.maxRetryBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return now.plus(wait.compareTo(config.maxRetryBackoff()) > 0 ? config.maxRetryBackoff() : wait);
    }
}
