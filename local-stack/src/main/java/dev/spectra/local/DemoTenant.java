package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A tenant the local stack seeds: whether the registry switches it on, and its share of the {@code sales}
 * table. Row counts differ per tenant so that a leak would show in every count. Its database user is not
 * part of it: {@link TenantProvisioning} draws an opaque one per run.
 */
public record DemoTenant(TenantId id, boolean active, int salesRows) {

    public static final DemoTenant ACME = new DemoTenant(TenantId.of("acme"), true, 3000);
    public static final DemoTenant GLOBEX = new DemoTenant(TenantId.of("globex"), true, 2000);
    /** Registered but switched off: its requests are refused before anything is recorded. */
    public static final DemoTenant INITECH = new DemoTenant(TenantId.of("initech"), false, 500);

    public static final List<DemoTenant> ALL = List.of(ACME, GLOBEX, INITECH);

    public DemoTenant {
        requireNonNull(id, "id is null");
        if (salesRows < 0) {
            throw new IllegalArgumentException("salesRows is negative: " + salesRows);
        }
    }
}
