package dev.spectra.common.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

import static java.util.Objects.requireNonNull;

/**
 * Capped exponential backoff with jitter, for every retry loop of the workers: the pause before retry
 * {@code n} is {@code min(maxDelay, initialDelay * multiplier^(n-1))}, of which up to {@code jitter} is
 * taken away at random. A jitter of 1 is "full jitter" (anywhere between zero and the capped delay), 0.5
 * is "equal jitter" (between half of it and all of it), 0 is none. Jitter keeps workers that were
 * throttled together from coming back together.
 *
 * @param initialDelay the pause before the first retry, before jitter
 * @param maxDelay     no pause is longer
 * @param multiplier   how much each pause grows over the one before; 1 keeps them constant
 * @param jitter       the fraction of each pause that may be taken away at random, 0 to 1
 */
public record Backoff(Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {

    public Backoff {
        requireNonNull(initialDelay, "initialDelay is null");
        requireNonNull(maxDelay, "maxDelay is null");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initialDelay <= maxDelay, was %s and %s"
                    .formatted(initialDelay, maxDelay));
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be a finite number of at least 1, was " + multiplier);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("backoff jitter must be between 0 and 1, was " + jitter);
        }
    }

    /** Doubling pauses without jitter. */
    public static Backoff exponential(Duration initialDelay, Duration maxDelay) {
        return new Backoff(initialDelay, maxDelay, 2, 0);
    }

    public Backoff withJitter(double fraction) {
        return new Backoff(initialDelay, maxDelay, multiplier, fraction);
    }

    /**
     * The pause before retry {@code retry}: 1 for the pause after the first attempt failed, 2 after the second.
     *
     * @param random where jitter comes from; not used when {@link #jitter()} is 0
     */
    public Duration delayBefore(int retry, RandomGenerator random) {
        requireNonNull(random, "random is null");
        if (retry < 1) {
            throw new IllegalArgumentException("retries are counted from 1: " + retry);
        }
        double capped = Math.min(nanos(maxDelay), nanos(initialDelay) * Math.pow(multiplier, retry - 1));
        double delay = jitter == 0 ? capped : capped * (1 - jitter * random.nextDouble());
        return Duration.ofNanos(Math.round(delay));
    }

    /** As a double, so that a large exponent or maximum saturates instead of overflowing a long. */
    private static double nanos(Duration duration) {
        return duration.getSeconds() * 1e9 + duration.getNano();
    }
}
