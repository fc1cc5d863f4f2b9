package dev.spectra.local;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Where the local stack finds what it runs and where it writes.
 *
 * @param repositoryRoot the checkout: service jars are {@code <module>/target/<module>.jar}
 * @param stateDirectory this stack's folder: {@code run/} (removed on stop), {@code logs/} (kept until the next start)
 * @param gatewayPort    the gateway's port on loopback
 * @param tenantLimits   what each tenant's database user may spend ({@link TenantLimits#DEFAULTS} unless a
 *                       test needs a runaway query ended sooner)
 * @param tenantConcurrency demo tenants whose registry entry gets another {@code max_concurrent_queries} than
 *                       {@link DemoTenant#DEFAULT_CONCURRENCY}
 * @param kafkaBrokers   1: one broker in the launcher's JVM (the default, quick to start); more: that many
 *                       broker processes, each of which can be killed and restarted on its own
 * @param tenantMaxResultBytes demo tenants whose registry entry sets {@code max_result_bytes}
 * @param serviceJvmOptions JVM options per module, after the stack's own (a later {@code -Xmx} wins)
 * @param serviceProperties Spring properties per module ({@code name=value}), after the stack's own
 */
public record LocalStackSettings(Path repositoryRoot, Path stateDirectory, int gatewayPort, TenantLimits tenantLimits,
                                 Map<TenantId, Integer> tenantConcurrency, int kafkaBrokers,
                                 Map<TenantId, Long> tenantMaxResultBytes, Map<String, List<String>> serviceJvmOptions,
                                 Map<String, List<String>> serviceProperties) {

    public LocalStackSettings(Path repositoryRoot, Path stateDirectory, int gatewayPort) {
        this(repositoryRoot, stateDirectory, gatewayPort, TenantLimits.DEFAULTS, Map.of(), 1, Map.of(), Map.of(), Map.of());
    }

    public LocalStackSettings {
        requireNonNull(repositoryRoot, "repositoryRoot is null");
        requireNonNull(stateDirectory, "stateDirectory is null");
        requireNonNull(tenantLimits, "tenantLimits is null");
        tenantConcurrency = Map.copyOf(requireNonNull(tenantConcurrency, "tenantConcurrency is null"));
        tenantConcurrency.forEach((tenant, limit) -> Tenant.requireValidConcurrency(limit));
        tenantMaxResultBytes = Map.copyOf(requireNonNull(tenantMaxResultBytes, "tenantMaxResultBytes is null"));
        serviceJvmOptions = copyPerModule(serviceJvmOptions, "serviceJvmOptions");
        serviceProperties = copyPerModule(serviceProperties, "serviceProperties");
        if (kafkaBrokers < 1) {
            throw new IllegalArgumentException("kafkaBrokers must be at least 1: " + kafkaBrokers);
        }
        repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
        stateDirectory = stateDirectory.toAbsolutePath().normalize();
        if (gatewayPort < 1 || gatewayPort > 65535) {
            throw new IllegalArgumentException("gatewayPort out of range: " + gatewayPort);
        }
    }

    public LocalStackSettings withTenantLimits(TenantLimits limits) {
        return new LocalStackSettings(repositoryRoot, stateDirectory, gatewayPort, limits, tenantConcurrency, kafkaBrokers,
                tenantMaxResultBytes, serviceJvmOptions, serviceProperties);
    }

    /** The demo tenant's {@code max_result_bytes} in the registry, for a test of the limit. */
    public LocalStackSettings withTenantMaxResultBytes(TenantId tenant, long maxResultBytes) {
        Map<TenantId, Long> limits = new HashMap<>(tenantMaxResultBytes);
        limits.put(requireNonNull(tenant, "tenant is null"), maxResultBytes);
        return new LocalStackSettings(repositoryRoot, stateDirectory, gatewayPort, tenantLimits, tenantConcurrency, kafkaBrokers,
                limits, serviceJvmOptions, serviceProperties);
    }

    /** Runs every instance of {@code module} with these JVM options too, e.g. {@code -Xmx256m}. */
    public LocalStackSettings withServiceJvmOptions(String module, String... options) {
        return new LocalStackSettings(repositoryRoot, stateDirectory, gatewayPort, tenantLimits, tenantConcurrency, kafkaBrokers,
                tenantMaxResultBytes, adding(serviceJvmOptions, module, options), serviceProperties);
    }

    /** Runs every instance of {@code module} with these Spring properties too, each {@code name=value}. */
    public LocalStackSettings withServiceProperties(String module, String... properties) {
        for (String property : properties) {
            if (property.indexOf('=') < 1) {
                throw new IllegalArgumentException("not name=value: " + property);
            }
        }
        return new LocalStackSettings(repositoryRoot, stateDirectory, gatewayPort, tenantLimits, tenantConcurrency, kafkaBrokers,
                tenantMaxResultBytes, serviceJvmOptions, adding(serviceProperties, module, properties));
    }

    private static Map<String, List<String>> adding(Map<String, List<String>> perModule, String module, String... values) {
        if (!LocalStack.SERVICE_MODULES.contains(module)) {
            throw new IllegalArgumentException("no such service module: " + module);
        }
        Map<String, List<String>> copy = new HashMap<>(perModule);
        List<String> list = new ArrayList<>(copy.getOrDefault(module, List.of()));
        list.addAll(List.of(values));
        copy.put(module, list);
        return copy;
    }

    private static Map<String, List<String>> copyPerModule(Map<String, List<String>> perModule, String name) {
        Map<String, List<String>> copy = new HashMap<>();
        requireNonNull(perModule, name + " is null").forEach((module, values) -> copy.put(module, List.copyOf(values)));
        return Map.copyOf(copy);
    }

    /** The demo tenant's {@code max_concurrent_queries} in the registry, for a test or a benchmark. */
    public LocalStackSettings withTenantConcurrency(TenantId tenant, int maxConcurrentQueries) {
        Map<TenantId, Integer> concurrency = new HashMap<>(tenantConcurrency);
        concurrency.put(requireNonNull(tenant, "tenant is null"), maxConcurrentQueries);
        return new LocalStackSettings(repositoryRoot, stateDirectory, gatewayPort, tenantLimits, concurrency, kafkaBrokers,
                tenantMaxResultBytes, serviceJvmOptions, serviceProperties);
    }

    /**
     * Kafka as {@code brokers} separate processes (KRaft, each node broker and controller), topics replicated
     * to three of them with {@code min.insync.replicas} 2, so that a broker can be killed and restarted
     * ({@link LocalStack#killBroker}). Needs Kafka on the class path: tests and the bench, not the launcher's jar.
     */
    public LocalStackSettings withKafkaBrokers(int brokers) {
        return new LocalStackSettings(repositoryRoot, stateDirectory, gatewayPort, tenantLimits, tenantConcurrency, brokers,
                tenantMaxResultBytes, serviceJvmOptions, serviceProperties);
    }

    /** The demo tenants to provision, with their concurrency and result limit as these settings say. */
    public List<DemoTenant> tenants() {
        return DemoTenant.ALL.stream()
                .map(tenant -> tenantConcurrency.containsKey(tenant.id())
                        ? tenant.withMaxConcurrentQueries(tenantConcurrency.get(tenant.id()))
                        : tenant)
                .map(tenant -> tenantMaxResultBytes.containsKey(tenant.id())
                        ? tenant.withMaxResultBytes(tenantMaxResultBytes.get(tenant.id()))
                        : tenant)
                .toList();
    }

    /** S3Mock's jar and sqlite4java's native library, copied there by the local-stack build. */
    public Path runtimeDirectory() {
        return repositoryRoot.resolve("local-stack/target/runtime");
    }

    public Path runDirectory() {
        return stateDirectory.resolve("run");
    }

    /** The warehouse superuser's connection details, owner-only, present while the stack runs. */
    public Path warehouseAdministratorFile() {
        return stateDirectory.resolve("warehouse-admin.json");
    }

    public Path logDirectory() {
        return stateDirectory.resolve("logs");
    }

    /** Unpacked PostgreSQL binaries, reused by every run and test of this checkout. */
    public Path cacheDirectory() {
        return repositoryRoot.resolve(".spectra/cache");
    }

    public Path serviceJar(String module) {
        return repositoryRoot.resolve(module).resolve("target").resolve(module + ".jar");
    }
}
