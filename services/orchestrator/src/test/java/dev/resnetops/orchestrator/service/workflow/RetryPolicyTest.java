package dev.resnetops.orchestrator.service.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.orchestrator.config.OrchestratorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Exponential backoff between attempts, capped, and the attempt limit (plain unit test, no Quarkus). */
class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void doublesTheWaitAfterEachFailedAttemptUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(config(3, Duration.ofSeconds(30), Duration.ofMinutes(2)));

        assertThat(policy.nextAttemptAfter(1, NOW)).isEqualTo(NOW.plusSeconds(30));
        assertThat(policy.nextAttemptAfter(2, NOW)).isEqualTo(NOW.plusSeconds(60));
        assertThat(policy.nextAttemptAfter(3, NOW)).isEqualTo(NOW.plusSeconds(120));
        assertThat(policy.nextAttemptAfter(40, NOW)).isEqualTo(NOW.plusSeconds(120));
    }

    @Test
    void allowsAnotherAttemptUntilMaxAttemptsHaveFailed() {
        RetryPolicy policy = new RetryPolicy(config(3, Duration.ofSeconds(1), Duration.ofMinutes(1)));

        assertThat(List.of(1, 2, 3)).extracting(policy::allowsAnother).containsExactly(true, true, false);
    }

    private static OrchestratorConfig config(int maxAttempts, Duration backoff, Duration cap) {
        OrchestratorConfig.Workflows workflows = new OrchestratorConfig.Workflows() {
            public String folder() { return "workflows"; }
            public boolean engineEnabled() { return true; }
            public Duration tick() { return Duration.ofSeconds(1); }
            public int maxAttempts() { return maxAttempts; }
            public Duration retryBackoff() { return backoff; }
            public Duration maxRetryBackoff() { return cap; }
            public int defaultMaxParallel() { return 2; }
            public Duration evaluationDeadline() { return Duration.ofHours(3); }
        };
        return new OrchestratorConfig() {
            public Api api() { return null; }
            public Datasets datasets() { return () -> Optional.empty(); }
            public Workflows workflows() { return workflows; }
            public Weights weights() { return null; }
            public String mlflowUrl() { return "http://127.0.0.1:5000"; }
            public Optional<String> mlflowUser() { return Optional.empty(); }
            public Optional<String> mlflowPassword() { return Optional.empty(); }
        };
    }
}
