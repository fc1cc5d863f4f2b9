package dev.spectra.queryworker.execution;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.statement.ParameterType;
import dev.spectra.common.statement.QueryParameter;
import dev.spectra.queryworker.testing.WorkerHarness;
import dev.spectra.queryworker.testing.WorkerHarness.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.spectra.queryworker.testing.JobFixtures.ACME;
import static dev.spectra.queryworker.testing.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client's cancel, as the gateway writes it (CANCELLED, compare-and-set) and announces it, seen by the query worker. */
class JobCancellationTest {

    private final WorkerHarness worker = new WorkerHarness();

    @AfterEach
    void stopTheWorker() {
        worker.close();
    }

    @Test
    void theCancelEventCancelsTheRunningStatementInTheWarehouseAtOnce() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Run run = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());
        String statementId = worker.stored(job).statementId();

        cancelAsTheGatewayDoes(job);
        worker.performer.cancelRequested(job.tenantId(), job.jobId());

        assertThat(worker.warehouse.cancelled()).containsExactly(statementId);
        await().until(run::finished);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(worker.stored(job).error().message()).isEqualTo("cancelled by the client");
        assertThat(worker.counter("spectra.jobs.stopped", "reason", "ended_elsewhere", "status", "CANCELLED")).isEqualTo(1);
        assertThat(worker.counter("spectra.jobs.lease_lost")).isZero();
    }

    @Test
    void withoutTheEventTheStatementIsCancelledAtTheWorkersNextLeaseRenewal() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Run run = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());
        String statementId = worker.stored(job).statementId();

        cancelAsTheGatewayDoes(job);
        worker.clock.advance(WorkerHarness.LEASE);

        await().until(run::finished);
        assertThat(worker.warehouse.cancelled()).containsExactly(statementId);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void aJobCancelledWhileWaitingForItsTurnNeverReachesTheWarehouse() {
        worker.warehouse.hangNewStatements();
        Job first = aQueuedJob().forTenant(ACME).withMaxConcurrentQueries(1).build();
        Job second = aQueuedJob().forTenant(ACME).withMaxConcurrentQueries(1).build();
        Run firstRun = worker.submit(first);
        await().until(() -> worker.stored(first).hasStatement());
        Run secondRun = worker.submit(second);
        await().until(() -> worker.stored(second).lease().owner() != null);

        cancelAsTheGatewayDoes(second);
        worker.performer.cancelRequested(second.tenantId(), second.jobId());
        worker.warehouse.finish(worker.stored(first).statementId(), 1);

        await().until(firstRun::finished);
        await().until(secondRun::finished);
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
        assertThat(worker.stored(second).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void aJobPastItsOwnTimeoutEndsTimedOutAndItsStatementIsCancelled() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().with(new JobOptions(null, Map.of(), Duration.ofSeconds(30), List.of())).build();
        Run run = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        worker.clock.advance(Duration.ofSeconds(31));

        await().until(run::finished);
        Job timedOut = worker.stored(job);
        assertThat(timedOut.status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(timedOut.error().message()).isEqualTo("the job ran longer than its timeout of 30s");
        assertThat(worker.warehouse.cancelled()).containsExactly(timedOut.statementId());
    }

    @Test
    void boundParametersTravelAsDataApiParametersAndNullOnesDoNot() {
        Job job = aQueuedJob().sql("SELECT * FROM sales WHERE region = CAST(:region AS VARCHAR(65535)) AND note = "
                + "CAST(NULL AS VARCHAR(65535))").with(new JobOptions(null, Map.of(), null, List.of(
                new QueryParameter("region", ParameterType.STRING, "EU"),
                new QueryParameter("note", ParameterType.STRING, null)))).build();

        await().until(worker.submit(job)::finished);

        ExecuteStatementRequest request = worker.warehouse.executeRequests().getFirst();
        assertThat(request.parameters()).containsExactly(SqlParameter.builder().name("region").value("EU").build());
        assertThat(request.sql()).doesNotContain("EU");
    }

    /** What the gateway writes: CANCELLED on the job's current version. */
    private void cancelAsTheGatewayDoes(Job job) {
        Job current = worker.stored(job);
        Job cancelled = JobTable.replace("in-memory", current,
                current.endWith(JobStatus.CANCELLED, JobError.of(ErrorCode.QUERY_CANCELLED, "cancelled by the client"),
                        worker.clock.instant())).written();
        worker.jobs.put(cancelled);
    }
}
