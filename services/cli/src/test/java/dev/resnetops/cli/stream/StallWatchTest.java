package dev.resnetops.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StallWatchTest {

    private static final long S = 1_000_000_000L;

    @Test
    void stallsWhenNothingIsAnsweredForTheTimeout() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(10), 0);
        watch.sending(0, 0);
        assertThat(watch.stalled(5, 10 * S)).isFalse();
        assertThat(watch.stalled(5, 11 * S)).isTrue();
    }

    @Test
    void anAnswerRestartsTheClock() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(10), 0);
        watch.sending(0, 0);
        watch.answered(8 * S);
        assertThat(watch.stalled(5, 15 * S)).isFalse();
        assertThat(watch.stalled(5, 19 * S)).isTrue();
    }

    @Test
    void aSlowSenderIsNotASilentService() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(10), 0);
        watch.sending(0, 0);
        watch.answered(1 * S);
        // Nothing outstanding for a minute (a slow --rate), then the next image goes out.
        watch.sending(0, 61 * S);
        assertThat(watch.stalled(1, 62 * S)).isFalse();
    }

    @Test
    void neverStallsWithNothingOutstanding() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(1), 0);
        assertThat(watch.stalled(0, 100 * S)).isFalse();
    }

    @Test
    void rejectsANonPositiveTimeout() {
        assertThatThrownBy(() -> new StallWatch(Duration.ZERO, 0)).hasMessageContaining("--timeout");
    }
}
