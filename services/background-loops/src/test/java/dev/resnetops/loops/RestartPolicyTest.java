package dev.resnetops.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void doublesTheBackoffWithEveryFailureInARowUpToTheMaximum() {
        RestartPolicy policy = new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(10));

        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoffAfter(5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.backoffAfter(6)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoffAfter(10_000)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refusesABackoffThatCannotWork() {
        assertThatThrownBy(() -> new RestartPolicy(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new RestartPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("shorter than the first");
    }
}
