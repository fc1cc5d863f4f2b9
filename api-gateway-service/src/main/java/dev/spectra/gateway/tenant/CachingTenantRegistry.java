package dev.spectra.gateway.tenant;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * Reuses registry answers for a short time: every request needs its tenant, and the registry changes
 * rarely. "No such tenant" is cached too, so that a stream of requests for an unknown tenant does not
 * reach DynamoDB each time. Failures are not cached (Caffeine drops a failed future), so the next
 * request asks again. Concurrent lookups of one tenant share one call.
 */
public final class CachingTenantRegistry implements TenantRegistry {

    /** Far more than the tenants one gateway serves; only a bound against unbounded growth. */
    private static final long MAXIMUM_TENANTS = 100_000;

    private final TenantRegistry registry;
    private final AsyncCache<TenantId, Optional<Tenant>> answers;

    public CachingTenantRegistry(TenantRegistry registry, Duration timeToLive, Ticker ticker) {
        this.registry = requireNonNull(registry, "registry is null");
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(requireNonNull(timeToLive, "timeToLive is null"))
                .maximumSize(MAXIMUM_TENANTS)
                .ticker(requireNonNull(ticker, "ticker is null"))
                .buildAsync();
    }

    @Override
    public Mono<Tenant> find(TenantId id) {
        // suppressCancel: the future is shared with other requests; one client going away must not cancel it
        return Mono.fromFuture(() -> answers.get(id, (tenantId, executor) -> lookUp(tenantId)), true)
                .flatMap(Mono::justOrEmpty);
    }

    private CompletableFuture<Optional<Tenant>> lookUp(TenantId id) {
        return registry.find(id).map(Optional::of).defaultIfEmpty(Optional.empty()).toFuture();
    }
}
