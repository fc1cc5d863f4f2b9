package dev.spectra.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * A Bucket4j token bucket per key, in this process's memory. Each gateway instance limits on its own,
 * so N instances admit up to N times the configured rate; a bucket shared through a store
 * (Bucket4j's distributed proxy) is the step that makes the limit global.
 *
 * <p>A bucket left alone for the time it takes to refill completely is full, exactly like a new one,
 * so idle buckets are evicted after that time and memory follows only the tenants that are active.
 * Refills and evictions both read the application clock.
 */
public final class LocalBucketRateLimiter implements RateLimiter {

    private final RateLimitProperties limits;
    private final ClockTimeMeter timeMeter;
    private final Cache<String, Bucket> buckets;

    public LocalBucketRateLimiter(RateLimitProperties limits, Clock clock) {
        this.limits = requireNonNull(limits, "limits is null");
        this.timeMeter = new ClockTimeMeter(clock);
        Duration refillTime = Duration.ofMillis(Math.ceilDiv(limits.capacity() * 1000, limits.refillPerSecond()));
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(refillTime.plusSeconds(1))
                .ticker(timeMeter::currentTimeNanos)
                .build();
    }

    @Override
    public Mono<RateLimitDecision> tryAcquire(String key) {
        return Mono.fromSupplier(() -> decide(key));
    }

    private RateLimitDecision decide(String key) {
        ConsumptionProbe probe = buckets.get(key, ignored -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed()
                ? RateLimitDecision.allowed(probe.getRemainingTokens())
                : RateLimitDecision.denied(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(limits.capacity()).refillGreedy(limits.refillPerSecond(), Duration.ofSeconds(1)))
                .withCustomTimePrecision(timeMeter)
                .build();
    }
}
