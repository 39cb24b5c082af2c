package dev.resnetops.ingestion.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The consumer's retries for failures outside the data; no infrastructure. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2));

    @Test
    void retriesATransientFailureUntilItSucceeds() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();

        policy.run("dataset x", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("cannot query", new SQLException("Connection refused"));
            }
        });

        assertThat(calls).hasValue(3);
    }

    @Test
    void givesUpAfterTheLastAttemptNamingTheCause() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> policy.run("dataset x", () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("cannot mark dataset x READY", new SQLException("Connection refused"));
        })).isInstanceOf(IllegalStateException.class)
                .hasMessage("gave up after 3 attempts: cannot mark dataset x READY: Connection refused");
        assertThat(calls).hasValue(3);
    }

    @Test
    void refusesANonPositiveAttemptCount() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("max-attempts must be at least 1, got 0");
    }
}
