package dev.resnetops.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SendPacingTest {

    @Test
    void spacesImagesAtTheRate() {
        SendPacing pacing = new SendPacing(100, 0); // one every 10 ms
        assertThat(pacing.rateDelayNanos(0, 0, 0)).isZero();
        assertThat(pacing.rateDelayNanos(5, 0, 20_000_000)).isEqualTo(30_000_000);
        assertThat(pacing.rateDelayNanos(5, 0, 70_000_000)).isZero();
    }

    @Test
    void noRateMeansNoWait() {
        assertThat(new SendPacing(0, 0).rateDelayNanos(1000, 0, 0)).isZero();
    }

    @Test
    void closesTheWindowAtTheInFlightLimit() {
        SendPacing pacing = new SendPacing(0, 64);
        assertThat(pacing.windowOpen(63)).isTrue();
        assertThat(pacing.windowOpen(64)).isFalse();
        assertThat(new SendPacing(0, 0).windowOpen(1_000_000)).isTrue();
    }

    @Test
    void rejectsNegativeSettings() {
        assertThatThrownBy(() -> new SendPacing(-1, 0)).hasMessageContaining("--rate");
        assertThatThrownBy(() -> new SendPacing(Double.NaN, 0)).hasMessageContaining("--rate");
        assertThatThrownBy(() -> new SendPacing(0, -1)).hasMessageContaining("--in-flight");
    }
}
