package dev.spectra.gateway.ratelimit;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Which bucket a request draws from. Kept apart from the limiter, so that what is limited and how are separate choices. */
@FunctionalInterface
public interface RateLimitKeyResolver {

    /** Empty when the request has no key; such a request is refused (fail closed). */
    Mono<String> resolve(ServerWebExchange exchange);
}
