package dev.spectra.local;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A tenant the local stack seeds: its registry entry, its warehouse login and its share of the
 * {@code sales} table. Row counts differ per tenant so that a leak would show in every count.
 */
public record DemoTenant(TenantId id, String databaseUser, boolean active, int salesRows) {

    public static final DemoTenant ACME = new DemoTenant(TenantId.of("acme"), "tenant_acme", true, 3000);
    public static final DemoTenant GLOBEX = new DemoTenant(TenantId.of("globex"), "tenant_globex", true, 2000);
    /** Registered but switched off: its requests are refused before anything is recorded. */
    public static final DemoTenant INITECH = new DemoTenant(TenantId.of("initech"), "tenant_initech", false, 500);

    public static final List<DemoTenant> ALL = List.of(ACME, GLOBEX, INITECH);

    public DemoTenant {
        requireNonNull(id, "id is null");
        requireNonNull(databaseUser, "databaseUser is null");
        if (!databaseUser.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database user must be a plain lower-case identifier: " + databaseUser);
        }
    }

    public Tenant registryEntry() {
        return new Tenant(id, databaseUser, active);
    }
}
