package dev.spectra.gateway.tenant;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;
import reactor.core.publisher.Mono;

/** Who the tenants are. Empty for a tenant the registry does not know; an error when it cannot answer. */
public interface TenantRegistry {

    Mono<Tenant> find(TenantId id);
}
