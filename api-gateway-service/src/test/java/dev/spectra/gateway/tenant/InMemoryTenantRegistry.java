package dev.spectra.gateway.tenant;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The tenant registry in a map; counts lookups and can fail like an unreachable table. */
public final class InMemoryTenantRegistry implements TenantRegistry {

    private final Map<TenantId, Tenant> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    public InMemoryTenantRegistry with(Tenant tenant) {
        tenants.put(tenant.id(), tenant);
        return this;
    }

    public void remove(TenantId id) {
        tenants.remove(id);
    }

    public void failWith(RuntimeException error) {
        failure.set(error);
    }

    public int lookups() {
        return lookups.get();
    }

    @Override
    public Mono<Tenant> find(TenantId id) {
        return Mono.defer(() -> {
            lookups.incrementAndGet();
            RuntimeException error = failure.get();
            if (error != null) {
                return Mono.error(error);
            }
            return Mono.justOrEmpty(tenants.get(id));
        });
    }
}
