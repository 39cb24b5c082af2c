package dev.resnetops.inference.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallerRateLimiterTest {

    private final AtomicLong now = new AtomicLong();

    private CallerRateLimiter limiter(double perSecond, int burst) {
        return new CallerRateLimiter(perSecond, burst, now::get, null, null);
    }

    @Test
    void aCallerMaySpendItsBurstThenWaitsForTheRefill() {
        CallerRateLimiter limiter = limiter(2, 3);
        for (int i = 0; i < 3; i++) {
            limiter.admit("alice");
        }
        assertThatThrownBy(() -> limiter.admit("alice")).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
        now.addAndGet(500_000_000L); // half a second at 2 per second: one request's worth
        limiter.admit("alice");
        assertThatThrownBy(() -> limiter.admit("alice")).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void callersHaveTheirOwnBuckets() {
        CallerRateLimiter limiter = limiter(1, 1);
        limiter.admit("alice");
        assertThatThrownBy(() -> limiter.admit("alice")).isInstanceOf(RateLimitedException.class);
        limiter.admit("bob");
    }

    @Test
    void aRateOfZeroTurnsTheLimitOff() {
        CallerRateLimiter limiter = limiter(0, 0);
        for (int i = 0; i < 1000; i++) {
            limiter.admit("alice");
        }
    }

    @Test
    void aBurstBelowOneIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> limiter(5, 0)).hasMessageContaining("mlops.classify.rate-limit")
                .hasMessageContaining("burst=0");
    }
}
