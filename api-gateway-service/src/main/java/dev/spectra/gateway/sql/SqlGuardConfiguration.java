package dev.spectra.gateway.sql;

import dev.spectra.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SqlGuardProperties.class)
public class SqlGuardConfiguration {

    /**
     * Parser threads: more than one tenant's share ({@link SqlGuardProperties#parsesPerTenant()}), so that a
     * tenant whose SQL is slow to parse leaves threads for everyone else. Parsing is bounded by the parse
     * timeout, so the pool cannot be held for long.
     */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService sqlParserPool(SqlGuardProperties properties) {
        int threads = properties.parserThreads(Runtime.getRuntime().availableProcessors());
        if (properties.parsesPerTenant() >= threads) {
            throw new IllegalArgumentException("spectra.gateway.sql.parses-per-tenant (" + properties.parsesPerTenant()
                    + ") must be below the parser threads (" + threads + "), or one tenant could take them all");
        }
        return Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("sql-parser-", 0).daemon(true).factory());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService sqlParseWatchdog() {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sql-parse-watchdog").daemon(true).factory());
    }

    @Bean
    SqlGuard sqlGuard(@Qualifier("sqlParserPool") ExecutorService sqlParserPool,
                      @Qualifier("sqlParseWatchdog") ScheduledExecutorService sqlParseWatchdog,
                      GatewayProperties gateway, SqlGuardProperties properties, MeterRegistry meters) {
        TenantBulkhead bulkhead = new TenantBulkhead(sqlParserPool, properties.parsesPerTenant(), properties.queuedParsesPerTenant());
        SqlGuard guard = new SqlGuard(bulkhead, sqlParseWatchdog, gateway.sqlParseTimeout(), properties, meters);
        // JSqlParser's generated parser takes a second or more to load and warm up; pay that at startup,
        // not in the first tenant's request (where it also counts against the parse timeout).
        guard.inspect("SELECT count(*) FROM warm_up WHERE x IN (SELECT 1) GROUP BY 1");
        return guard;
    }
}
