package dev.spectra.gateway.ratelimit;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * @param remaining  tokens left after this request
 * @param retryAfter how long until a denied request would be allowed; zero when allowed
 */
public record RateLimitDecision(boolean allowed, long remaining, Duration retryAfter) {

    public RateLimitDecision {
        requireNonNull(retryAfter, "retryAfter is null");
        if (remaining < 0) {
            throw new IllegalArgumentException("remaining is negative: " + remaining);
        }
    }

    public static RateLimitDecision allowed(long remaining) {
        return new RateLimitDecision(true, remaining, Duration.ZERO);
    }

    public static RateLimitDecision denied(Duration retryAfter) {
        return new RateLimitDecision(false, 0, retryAfter);
    }
}
