package dev.spectra.gateway.sql;

import dev.spectra.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

@Configuration(proxyBeanMethods = false)
public class SqlGuardConfiguration {

    /**
     * Parser threads: one per core at most, so that a burst of large queries slows submissions down
     * instead of taking the cores that serve every other request.
     */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService sqlParserPool() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        return Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("sql-parser-", 0).daemon(true).factory());
    }

    /** Waits for the parse on boundedElastic, Reactor's bounded scheduler for blocking work. */
    @Bean
    SqlGuard sqlGuard(@Qualifier("sqlParserPool") ExecutorService sqlParserPool, GatewayProperties gateway,
                      MeterRegistry meters) {
        return new SqlGuard(sqlParserPool, gateway.sqlParseTimeout(), Schedulers.boundedElastic(), meters);
    }
}
