package dev.spectra.local;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A demo tenant with the database user this run provisioned for it. The user name is opaque, so that a
 * name that leaks through the catalog (an ACL, a {@code ::regrole} cast, an error message) says nothing
 * about which tenant it belongs to.
 */
public record ProvisionedTenant(DemoTenant tenant, String databaseUser) {

    private static final Pattern OPAQUE_USER = Pattern.compile("u[0-9a-f]{24}");

    public ProvisionedTenant {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(databaseUser, "databaseUser is null");
        if (!isOpaqueUser(databaseUser)) {
            throw new IllegalArgumentException("database user must be 'u' and 24 lower-case hex digits: " + databaseUser);
        }
    }

    /** Whether {@code name} is a login name as provisioning draws them: safe to put into SQL text. */
    static boolean isOpaqueUser(String name) {
        return OPAQUE_USER.matcher(name).matches();
    }

    public TenantId id() {
        return tenant.id();
    }

    /** The row-level security policy's name: derived from the opaque user, so it names no tenant either. */
    public String policyName() {
        return "p" + databaseUser.substring(1);
    }

    public Tenant registryEntry() {
        return new Tenant(tenant.id(), databaseUser, tenant.active(), tenant.maxConcurrentQueries(), tenant.maxResultBytes());
    }

    /**
     * The role's CONNECTION LIMIT: {@code limits}' own, raised so that it never refuses what the query workers
     * may open for this user. One worker holds at most the tenant's concurrency in sessions running or idle,
     * and about as many again forgotten (idle ones past their margin, refused or abandoned ones) until their
     * keep-alive ends; after a rebalance or a takeover two workers may hold the tenant's jobs.
     */
    public int connectionLimit(TenantLimits limits) {
        return Math.max(limits.connectionLimit(), 4 * tenant.maxConcurrentQueries());
    }
}
