package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Which tenants one run provisions, under which opaque database users, with which limits. It is decided
 * before anything starts, because the warehouse (roles, policies) and the tenant registry (DynamoDB) start
 * in parallel and must agree on every name.
 */
public record TenantProvisioning(List<ProvisionedTenant> tenants, TenantLimits limits) {

    private static final int USER_RANDOM_BYTES = 12;

    public TenantProvisioning {
        tenants = List.copyOf(requireNonNull(tenants, "tenants is null"));
        requireNonNull(limits, "limits is null");
        Set<String> users = new HashSet<>();
        Set<TenantId> ids = new HashSet<>();
        for (ProvisionedTenant tenant : tenants) {
            if (!users.add(tenant.databaseUser()) || !ids.add(tenant.id())) {
                throw new IllegalArgumentException("tenants and database users must be unique: " + tenant.id());
            }
        }
    }

    /** Draws a fresh opaque user for every tenant: {@code u} and 24 hex digits from a SecureRandom. */
    public static TenantProvisioning generate(List<DemoTenant> tenants, TenantLimits limits) {
        SecureRandom random = new SecureRandom();
        HexFormat hex = HexFormat.of();
        return new TenantProvisioning(tenants.stream()
                .map(tenant -> {
                    byte[] bytes = new byte[USER_RANDOM_BYTES];
                    random.nextBytes(bytes);
                    return new ProvisionedTenant(tenant, "u" + hex.formatHex(bytes));
                })
                .toList(), limits);
    }

    public ProvisionedTenant tenant(TenantId id) {
        requireNonNull(id, "id is null");
        return tenants.stream()
                .filter(tenant -> tenant.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not provisioned: " + id));
    }

    public String databaseUserOf(TenantId id) {
        return tenant(id).databaseUser();
    }
}
