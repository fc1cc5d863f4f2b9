package dev.spectra.bench;

import java.time.Duration;
import java.util.List;

/**
 * What every scenario gets: the two tenant applications, their database users (for the direct baseline and the
 * warehouse probe), the Data API client, and the query worker's metrics.
 */
record BenchContext(Sizes sizes, TenantApp acme, TenantApp globex, String acmeUser, String globexUser,
                    DirectDataApi direct, WarehouseProbe warehouse, Prometheus queryWorker) {

    /** Longest any single job of a scenario may take before the run is declared broken. */
    static final Duration JOB_DEADLINE = Duration.ofMinutes(5);

    List<TenantApp> tenants() {
        return List.of(acme, globex);
    }

    List<String> databaseUsers() {
        return List.of(acmeUser, globexUser);
    }

    String databaseUserOf(TenantApp tenant) {
        return tenant == acme ? acmeUser : globexUser;
    }
}
