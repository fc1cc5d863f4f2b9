package dev.spectra.gateway.sql;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A guard with its own parser pool and watchdog, as the configuration builds it; close it after use. */
final class GuardFixture implements AutoCloseable {

    private final ExecutorService parserPool = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private final TenantBulkhead bulkhead;
    private final SqlGuard guard;

    private GuardFixture(Duration parseTimeout, SqlGuardProperties properties) {
        bulkhead = new TenantBulkhead(parserPool, properties.parsesPerTenant(), properties.queuedParsesPerTenant());
        guard = new SqlGuard(bulkhead, watchdog, parseTimeout, properties, new SimpleMeterRegistry());
    }

    static GuardFixture withParseTimeout(Duration parseTimeout) {
        return new GuardFixture(parseTimeout, defaults());
    }

    static GuardFixture with(Duration parseTimeout, SqlGuardProperties properties) {
        return new GuardFixture(parseTimeout, properties);
    }

    static SqlGuardProperties defaults() {
        return new SqlGuardProperties(true, 64, 4, 1, 32);
    }

    SqlGuard guard() {
        return guard;
    }

    TenantBulkhead bulkhead() {
        return bulkhead;
    }

    /** A query within the nesting limit that JSqlParser takes tens of milliseconds or more to parse: 20,000 terms. */
    static String slowToParse() {
        return "SELECT " + "1 + ".repeat(20_000) + "1";
    }

    @Override
    public void close() {
        parserPool.shutdownNow();
        watchdog.shutdownNow();
    }
}
