package dev.spectra.local;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A tenant the local stack seeds: whether the registry switches it on, its share of the {@code sales}
 * table, and how many of its queries a query worker runs at once (the registry's
 * {@code max_concurrent_queries}) and, when set, the largest result it may have ({@code max_result_bytes}). Row counts differ per tenant so that a leak would show in every count. Its
 * database user is not part of it: {@link TenantProvisioning} draws an opaque one per run.
 */
public record DemoTenant(TenantId id, boolean active, int salesRows, int maxConcurrentQueries, Long maxResultBytes) {

    /** The query worker's own default, written into the registry so that the seeded entries show the attribute. */
    public static final int DEFAULT_CONCURRENCY = 4;

    public static final DemoTenant ACME = new DemoTenant(TenantId.of("acme"), true, 3000, DEFAULT_CONCURRENCY, null);
    public static final DemoTenant GLOBEX = new DemoTenant(TenantId.of("globex"), true, 2000, DEFAULT_CONCURRENCY, null);
    /** Registered but switched off: its requests are refused before anything is recorded. */
    public static final DemoTenant INITECH = new DemoTenant(TenantId.of("initech"), false, 500, DEFAULT_CONCURRENCY, null);

    public static final List<DemoTenant> ALL = List.of(ACME, GLOBEX, INITECH);

    public DemoTenant {
        requireNonNull(id, "id is null");
        if (salesRows < 0) {
            throw new IllegalArgumentException("salesRows is negative: " + salesRows);
        }
        Tenant.requireValidConcurrency(maxConcurrentQueries);
        Tenant.requireValidMaxResultBytes(maxResultBytes);
    }

    public DemoTenant withMaxConcurrentQueries(int limit) {
        return new DemoTenant(id, active, salesRows, limit, maxResultBytes);
    }

    public DemoTenant withMaxResultBytes(long limit) {
        return new DemoTenant(id, active, salesRows, maxConcurrentQueries, limit);
    }
}
