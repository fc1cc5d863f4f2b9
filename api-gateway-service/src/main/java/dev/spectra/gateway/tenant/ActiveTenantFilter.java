package dev.spectra.gateway.tenant;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.security.Principal;

import static java.util.Objects.requireNonNull;

/**
 * Admits an authenticated request to the API only for an active tenant, and names that tenant for
 * what follows (exchange attribute {@link #TENANT_ATTRIBUTE}).
 *
 * <p>The tenant is the token's: the authenticated principal's name is its tenant claim. The
 * {@code X-Tenant-ID} header must repeat it (403 TENANT_MISMATCH otherwise), which catches a client
 * using one tenant's token for another tenant's work. Unknown and inactive tenants get the same 403
 * TENANT_NOT_ACTIVE, so that a caller cannot probe the registry.
 */
public final class ActiveTenantFilter implements WebFilter, Ordered {

    /** Exchange attribute holding the request's active {@link Tenant}. */
    public static final String TENANT_ATTRIBUTE = "spectra.tenant";
    public static final String TENANT_HEADER = "X-Tenant-ID";
    /** After Spring Security (-100), which authenticates; before rate limiting, which is per tenant. */
    public static final int ORDER = 0;

    private static final String API_PATH_PREFIX = "/v1/";

    private final TenantRegistry registry;

    public ActiveTenantFilter(TenantRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith(API_PATH_PREFIX)) {
            return chain.filter(exchange);
        }
        String claimed = exchange.getRequest().getHeaders().getFirst(TENANT_HEADER);
        return exchange.getPrincipal()
                .map(Principal::getName)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("no authenticated principal on " + API_PATH_PREFIX)))
                .flatMap(tenantName -> activeTenant(tenantName, claimed))
                .flatMap(tenant -> {
                    exchange.getAttributes().put(TENANT_ATTRIBUTE, tenant);
                    return chain.filter(exchange);
                });
    }

    private Mono<Tenant> activeTenant(String tokenTenant, String headerTenant) {
        if (headerTenant == null || !headerTenant.equals(tokenTenant) || !TenantId.isValid(tokenTenant)) {
            return Mono.error(new ProblemException(Problems.tenantMismatch()));
        }
        return registry.find(TenantId.of(tokenTenant))
                .onErrorMap(error -> new ProblemException(Problems.storageUnavailable(), error))
                .filter(Tenant::active)
                .switchIfEmpty(Mono.error(() -> new ProblemException(Problems.tenantNotActive())));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
