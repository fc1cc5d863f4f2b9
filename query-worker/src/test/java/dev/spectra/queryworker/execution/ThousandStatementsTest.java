package dev.spectra.queryworker.execution;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.queryworker.testing.WorkerHarness;
import dev.spectra.queryworker.testing.WorkerHarness.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.spectra.queryworker.testing.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker's capacity: a thousand statements followed at once by one worker, each job on a virtual thread of
 * its own, with a platform thread count that does not grow with the number of statements.
 */
class ThousandStatementsTest {

    private static final int STATEMENTS = 1_000;
    private static final int TENANTS = 20;
    private static final int PER_TENANT = STATEMENTS / TENANTS;

    private final WorkerHarness worker = new WorkerHarness(
            new WorkerHarness.Settings(STATEMENTS, PER_TENANT, "worker-1").withCapacity(STATEMENTS, Duration.ofSeconds(1)));

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void oneWorkerFollowsAThousandStatementsAtOnceOnAFewPlatformThreads() {
        int platformThreadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        worker.warehouse.hangNewStatements();
        List<Job> jobs = IntStream.range(0, STATEMENTS)
                .mapToObj(i -> aQueuedJob().forTenant(TenantId.of("tenant" + (i % TENANTS)))
                        .withMaxConcurrentQueries(PER_TENANT).build())
                .toList();
        List<Run> runs = new ArrayList<>();
        jobs.forEach(job -> runs.add(worker.submit(job)));
        // Past the first seconds of their lives the statements are asked about once per poll interval, not every 10 ms.
        worker.clock.advance(Duration.ofMinutes(1));

        await().atMost(Duration.ofMinutes(2)).until(() -> worker.gauge("spectra.statements.in_flight") == STATEMENTS);
        int platformThreadsWhileFollowing = ManagementFactory.getThreadMXBean().getThreadCount();

        assertThat(worker.warehouse.executeRequests()).hasSize(STATEMENTS);
        assertThat(worker.gauge("spectra.scheduler.waiting")).isZero();
        assertThat(runs).allMatch(Run::acknowledged);
        // A thread per statement would add a thousand; the job threads are virtual and add none.
        assertThat(platformThreadsWhileFollowing - platformThreadsBefore).isLessThan(50);

        worker.warehouse.statementIds().forEach(statementId -> worker.warehouse.finish(statementId, 1));
        await().atMost(Duration.ofMinutes(2)).until(() -> runs.stream().allMatch(Run::finished));
        assertThat(jobs).allSatisfy(job -> assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING));
        assertThat(worker.gauge("spectra.statements.in_flight")).isZero();
    }
}
