package dev.spectra.queryworker.execution;

import dev.spectra.common.job.JobId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.spectra.queryworker.testing.JobFixtures.ACME;
import static org.assertj.core.api.Assertions.assertThat;

class JobRunTest {

    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final AtomicInteger acknowledgements = new AtomicInteger();
    private final JobId jobId = JobId.random();
    private final JobRun run = new JobRun(ACME, jobId, thread, acknowledgements::incrementAndGet);

    @AfterEach
    void stopThread() {
        thread.shutdownNow();
    }

    @Test
    void runsStepsWithTheJobInTheMdcAndClearsItAfterwards() {
        CompletableFuture<Map<String, String>> during = CompletableFuture.supplyAsync(MDC::getCopyOfContextMap, run.executor());
        CompletableFuture<Map<String, String>> after = CompletableFuture.supplyAsync(MDC::getCopyOfContextMap, thread);

        assertThat(during.join()).containsEntry("jobId", jobId.value()).containsEntry("tenantId", "acme");
        assertThat(after.join()).isNullOrEmpty();
    }

    @Test
    void acknowledgesOnlyOnce() {
        run.acknowledge();
        run.acknowledge();
        run.abandon("too late", null);

        assertThat(acknowledgements).hasValue(1);
    }

    @Test
    void neverAcknowledgesAnAbandonedRun() {
        run.abandon("the worker is stopping", null);
        run.acknowledge();

        assertThat(acknowledgements).hasValue(0);
    }
}
