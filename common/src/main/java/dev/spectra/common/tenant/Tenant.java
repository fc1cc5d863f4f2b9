package dev.spectra.common.tenant;

import static java.util.Objects.requireNonNull;

/**
 * A tenant as the registry knows it.
 *
 * @param databaseUser         the warehouse user every statement of this tenant runs as; row-level security
 *                             in the warehouse keys on it
 * @param active               an inactive tenant's requests are refused before anything is recorded
 * @param maxConcurrentQueries how many of the tenant's statements a query worker runs at once; null for the
 *                             worker's default ({@code spectra.scheduling.max-running-per-tenant}). The gateway
 *                             copies it into each job at submission, so a change applies to jobs submitted after
 *                             it (and after the gateway's registry cache let it through)
 * @param maxResultBytes       the largest result the tenant may have delivered, in encoded bytes; null for the
 *                             delivery worker's default ({@code spectra.delivery.max-result-bytes}). Copied into each
 *                             job at submission like {@code maxConcurrentQueries}
 * @param maxTimeoutSeconds    the longest a job of the tenant may take, from its submission, and the timeout of a
 *                             job that asks for none; null for the gateway's default
 *                             ({@code spectra.gateway.queries.max-timeout}). Resolved into each job at submission
 */
public record Tenant(TenantId id, String databaseUser, boolean active, Integer maxConcurrentQueries, Long maxResultBytes,
                     Integer maxTimeoutSeconds) {

    /**
     * The most a tenant may be given. Redshift runs at most 50 queries at once across its WLM queues; a tenant
     * allowed more would only hold sessions with statements queued inside the warehouse.
     */
    public static final int MAX_CONCURRENT_QUERIES = 50;

    public Tenant {
        requireNonNull(id, "id is null");
        requireNonNull(databaseUser, "databaseUser is null");
        if (databaseUser.isBlank()) {
            throw new IllegalArgumentException("databaseUser is blank");
        }
        requireValidConcurrency(maxConcurrentQueries);
        requireValidMaxResultBytes(maxResultBytes);
        requireValidMaxTimeout(maxTimeoutSeconds);
    }

    /** A tenant on the gateway's default timeout. */
    public Tenant(TenantId id, String databaseUser, boolean active, Integer maxConcurrentQueries, Long maxResultBytes) {
        this(id, databaseUser, active, maxConcurrentQueries, maxResultBytes, null);
    }

    /** A tenant on the workers' defaults. */
    public Tenant(TenantId id, String databaseUser, boolean active) {
        this(id, databaseUser, active, null, null, null);
    }

    /** A tenant with its own concurrency, on the delivery worker's default result limit. */
    public Tenant(TenantId id, String databaseUser, boolean active, Integer maxConcurrentQueries) {
        this(id, databaseUser, active, maxConcurrentQueries, null, null);
    }

    /** Throws unless {@code maxConcurrentQueries} is null (the default) or 1 to {@value #MAX_CONCURRENT_QUERIES}. */
    /** A {@code max_timeout_seconds} the registry accepts: absent, or positive. */
    public static void requireValidMaxTimeout(Integer maxTimeoutSeconds) {
        if (maxTimeoutSeconds != null && maxTimeoutSeconds < 1) {
            throw new IllegalArgumentException("maxTimeoutSeconds must be positive: " + maxTimeoutSeconds);
        }
    }

    /** A {@code max_result_bytes} the registry accepts: absent, or positive. */
    public static void requireValidMaxResultBytes(Long maxResultBytes) {
        if (maxResultBytes != null && maxResultBytes < 1) {
            throw new IllegalArgumentException("maxResultBytes must be positive: " + maxResultBytes);
        }
    }

    public static void requireValidConcurrency(Integer maxConcurrentQueries) {
        if (maxConcurrentQueries != null && (maxConcurrentQueries < 1 || maxConcurrentQueries > MAX_CONCURRENT_QUERIES)) {
            throw new IllegalArgumentException("maxConcurrentQueries must be 1 to %d: %d"
                    .formatted(MAX_CONCURRENT_QUERIES, maxConcurrentQueries));
        }
    }
}
