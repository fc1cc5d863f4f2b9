package dev.spectra.gateway.ratelimit;

import reactor.core.publisher.Mono;

/** Decides whether one more request may pass for a key. Reactive so that a distributed bucket can replace the local one. */
public interface RateLimiter {

    Mono<RateLimitDecision> tryAcquire(String key);
}
