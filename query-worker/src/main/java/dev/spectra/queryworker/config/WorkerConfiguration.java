package dev.spectra.queryworker.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The worker's threads: a bounded pool for AWS calls and one scheduler that drives statement polling,
 * retry backoff and session wait limits. No thread ever waits for a running statement.
 */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Runs Data API and job-table calls. Queued work is naturally bounded: at most one poll per statement in
     * flight, and the listener container takes no new records until the previous poll's are acknowledged.
     * Shut down without waiting: a record whose work is dropped is not acknowledged, so it is redelivered.
     */
    @Bean(destroyMethod = "shutdown")
    ExecutorService awsCalls(StatementsProperties statements) {
        return Executors.newFixedThreadPool(statements.callThreads(), named("aws-call-"));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService workerScheduler() {
        return Executors.newSingleThreadScheduledExecutor(named("worker-scheduler-"));
    }

    private static ThreadFactory named(String prefix) {
        return Thread.ofPlatform().name(prefix, 0).factory();
    }
}
