package dev.spectra.local;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where the local stack finds what it runs and where it writes.
 *
 * @param repositoryRoot the checkout: service jars are {@code <module>/target/<module>.jar}
 * @param stateDirectory this stack's folder: {@code run/} (removed on stop), {@code logs/} (kept)
 * @param gatewayPort    the gateway's port on loopback
 * @param tenantLimits   what each tenant's database user may spend ({@link TenantLimits#DEFAULTS} unless a
 *                       test needs a runaway query ended sooner)
 */
public record LocalStackSettings(Path repositoryRoot, Path stateDirectory, int gatewayPort, TenantLimits tenantLimits) {

    public LocalStackSettings(Path repositoryRoot, Path stateDirectory, int gatewayPort) {
        this(repositoryRoot, stateDirectory, gatewayPort, TenantLimits.DEFAULTS);
    }

    public LocalStackSettings {
        requireNonNull(repositoryRoot, "repositoryRoot is null");
        requireNonNull(stateDirectory, "stateDirectory is null");
        requireNonNull(tenantLimits, "tenantLimits is null");
        repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
        stateDirectory = stateDirectory.toAbsolutePath().normalize();
        if (gatewayPort < 1 || gatewayPort > 65535) {
            throw new IllegalArgumentException("gatewayPort out of range: " + gatewayPort);
        }
    }

    public LocalStackSettings withTenantLimits(TenantLimits limits) {
        return new LocalStackSettings(repositoryRoot, stateDirectory, gatewayPort, limits);
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
