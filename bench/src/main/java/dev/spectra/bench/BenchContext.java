package dev.spectra.bench;

import dev.spectra.local.LocalStack;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/**
 * What every scenario gets: the two tenant applications, their database users (for the direct baseline and the
 * warehouse probe), the Data API client, the query worker's metrics, and the stack itself for the scenarios
 * that bounce its processes.
 */
record BenchContext(Sizes sizes, TenantApp acme, TenantApp globex, String acmeUser, String globexUser,
                    DirectDataApi direct, WarehouseProbe warehouse, Prometheus queryWorker, LocalStack stack, HttpClient http) {

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

    /** A metric of one service instance (e.g. {@code query-worker-2}), summed over its tags; 0 when it has none yet. */
    double metric(String instance, String name) {
        return new Prometheus(http, stack.managementEndpoints().get(instance)).first(List.of(name)).map(Prometheus.Reading::value).orElse(0.0);
    }

    /** As {@link #metric}, and 0 when the instance does not answer (killed, or still starting). */
    double metricOrZero(String instance, String name) {
        try {
            return metric(instance, name);
        } catch (IllegalStateException notAnswering) {
            return 0;
        }
    }
}
