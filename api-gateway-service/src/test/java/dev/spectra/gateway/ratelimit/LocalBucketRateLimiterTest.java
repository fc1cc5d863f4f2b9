package dev.spectra.gateway.ratelimit;

import dev.spectra.common.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LocalBucketRateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final LocalBucketRateLimiter limiter = new LocalBucketRateLimiter(new RateLimitProperties(3, 2), clock);

    @Test
    void allowsABurstUpToCapacityCountingDownWhatRemains() {
        assertThat(decide("acme")).isEqualTo(RateLimitDecision.allowed(2));
        assertThat(decide("acme")).isEqualTo(RateLimitDecision.allowed(1));
        assertThat(decide("acme")).isEqualTo(RateLimitDecision.allowed(0));
    }

    @Test
    void deniesBeyondCapacityAndSaysWhenToRetry() {
        exhaust("acme");

        RateLimitDecision denied = decide("acme");

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void refillsAtTheConfiguredRate() {
        exhaust("acme");
        clock.advance(Duration.ofMillis(500));

        assertThat(decide("acme").allowed()).isTrue();
        assertThat(decide("acme").allowed()).isFalse();
    }

    @Test
    void keepsOneBucketPerKey() {
        exhaust("acme");

        assertThat(decide("globex").allowed()).isTrue();
    }

    private void exhaust(String key) {
        for (int i = 0; i < 3; i++) {
            assertThat(decide(key).allowed()).isTrue();
        }
    }

    private RateLimitDecision decide(String key) {
        return limiter.tryAcquire(key).block(Duration.ofSeconds(1));
    }
}
