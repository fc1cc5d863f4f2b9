package dev.spectra.gateway.ratelimit;

import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Rate-limits query submissions ({@code POST /v1/queries}), after the tenant is known and before any
 * work is done for the request. Allowed requests carry {@code X-RateLimit-Remaining}; denied ones get
 * 429 RATE_LIMITED with {@code Retry-After}. Fails closed: a request without a key, or a limiter
 * error, is denied rather than let through.
 */
public final class SubmissionRateLimitFilter implements WebFilter, Ordered {

    public static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    /** After the tenant filter, which resolves the tenant the key is made of. */
    public static final int ORDER = 10;

    private static final Logger log = LoggerFactory.getLogger(SubmissionRateLimitFilter.class);
    private static final String SUBMISSIONS_PATH = "/v1/queries";
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final RateLimitKeyResolver keyResolver;
    private final RateLimiter limiter;
    private final MeterRegistry meters;

    public SubmissionRateLimitFilter(RateLimitKeyResolver keyResolver, RateLimiter limiter, MeterRegistry meters) {
        this.keyResolver = requireNonNull(keyResolver, "keyResolver is null");
        this.limiter = requireNonNull(limiter, "limiter is null");
        this.meters = requireNonNull(meters, "meters is null");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isSubmission(exchange)) {
            return chain.filter(exchange);
        }
        return keyResolver.resolve(exchange)
                .flatMap(key -> limiter.tryAcquire(key).doOnNext(decision -> {
                    if (!decision.allowed()) {
                        limited(key).increment();
                    }
                }))
                .defaultIfEmpty(RateLimitDecision.denied(RETRY_AFTER_FAILURE))
                .onErrorResume(error -> {
                    log.error("rate limiter failed; refusing the request", error);
                    return Mono.just(RateLimitDecision.denied(RETRY_AFTER_FAILURE));
                })
                .flatMap(decision -> {
                    if (decision.allowed()) {
                        exchange.getResponse().getHeaders().set(REMAINING_HEADER, Long.toString(decision.remaining()));
                        return chain.filter(exchange);
                    }
                    exchange.getResponse().getHeaders().set(REMAINING_HEADER, "0");
                    return Mono.error(new ProblemException(Problems.rateLimited(decision.retryAfter())));
                });
    }

    /**
     * {@code tenant}: the key, which is the id of a tenant the tenant filter found in the registry, so the registry
     * bounds the series, never a request.
     */
    private Counter limited(String tenant) {
        return Counter.builder("spectra.gateway.rate.limited")
                .description("Query submissions refused by the per-tenant rate limit, by tenant")
                .tag("tenant", tenant)
                .register(meters);
    }

    private static boolean isSubmission(ServerWebExchange exchange) {
        return HttpMethod.POST.equals(exchange.getRequest().getMethod())
                && SUBMISSIONS_PATH.equals(exchange.getRequest().getPath().pathWithinApplication().value());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
