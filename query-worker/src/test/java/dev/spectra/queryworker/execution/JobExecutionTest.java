package dev.spectra.queryworker.execution;

import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.queryworker.testing.FakeWarehouse;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.queryworker.testing.WorkerHarness;
import dev.spectra.queryworker.testing.WorkerHarness.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;

import java.time.Duration;
import java.util.List;

import dev.spectra.queryworker.testing.JobFixtures;

import static dev.spectra.queryworker.testing.JobFixtures.ACME;
import static dev.spectra.queryworker.testing.JobFixtures.GLOBEX;
import static dev.spectra.queryworker.testing.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JobExecutionTest {

    private WorkerHarness worker = new WorkerHarness();

    @AfterEach
    void stopWorker() {
        worker.close();
    }

    @Test
    void runsQueuedJobAndPublishesStatementFinished() {
        Job job = aQueuedJob().forTenant(ACME).build();

        Run acknowledgement = worker.submit(job);

        await().until(acknowledgement::finished);
        Job stored = worker.stored(job);
        assertThat(stored.status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(stored.rowCount()).isEqualTo(3);
        assertThat(stored.statementId()).isEqualTo(worker.warehouse.statementIds().getFirst());
        assertThat(worker.messages.statementsFinished())
                .containsExactly(new StatementFinished(job.jobId(), ACME, stored.statementId(), 3, 30));
        assertThat(worker.messages.eventStatuses()).containsExactly(JobStatus.RUNNING, JobStatus.DELIVERING);
        assertThat(worker.audit.records()).as("the job has not ended: its delivery worker records the ending").isEmpty();
        ExecuteStatementRequest request = worker.warehouse.executeRequests().getFirst();
        assertThat(request.sql()).isEqualTo(job.sql());
        assertThat(request.dbUser()).isEqualTo("acme_reader");
        assertThat(request.clientToken()).isEqualTo(job.jobId().value());
    }

    @Test
    void reusesWarmSessionForSecondStatementOfSameUser() {
        Job first = aQueuedJob().forTenant(ACME).build();
        Job second = aQueuedJob().forTenant(ACME).build();

        await().until(worker.submit(first)::finished);
        await().until(worker.submit(second)::finished);

        List<ExecuteStatementRequest> requests = worker.warehouse.executeRequests();
        assertThat(requests).hasSize(2);
        ExecuteStatementRequest opening = requests.get(0);
        assertThat(opening.sessionId()).isNull();
        assertThat(opening.clusterIdentifier()).isEqualTo("spectra");
        assertThat(opening.database()).isEqualTo("dev");
        assertThat(opening.dbUser()).isEqualTo("acme_reader");
        assertThat(opening.sessionKeepAliveSeconds()).isEqualTo(600);
        ExecuteStatementRequest warm = requests.get(1);
        assertThat(warm.sessionId()).isEqualTo(worker.warehouse.sessionOf(worker.stored(first).statementId()));
        assertThat(warm.sql()).isEqualTo(second.sql());
        assertThat(warm.dbUser()).isNull();
        assertThat(warm.clusterIdentifier()).isNull();
        assertThat(warm.database()).isNull();
        assertThat(warm.sessionKeepAliveSeconds()).isNull();
        assertThat(worker.counter("spectra.sessions.borrowed", "outcome", "cold")).isEqualTo(1);
        assertThat(worker.counter("spectra.sessions.borrowed", "outcome", "warm")).isEqualTo(1);
        assertThat(worker.gauge("spectra.sessions.open")).isEqualTo(1);
        assertThat(worker.gauge("spectra.sessions.hit_ratio")).isEqualTo(0.5);
    }

    @Test
    void theSessionHitRatioIsNotANumberBeforeTheFirstBorrow() {
        assertThat(worker.gauge("spectra.sessions.hit_ratio")).isNaN();
    }

    @Test
    void neverSharesASessionBetweenDatabaseUsers() {
        Job acme = aQueuedJob().forTenant(ACME).build();
        Job globex = aQueuedJob().forTenant(GLOBEX).build();

        await().until(worker.submit(acme)::finished);
        await().until(worker.submit(globex)::finished);

        List<ExecuteStatementRequest> requests = worker.warehouse.executeRequests();
        assertThat(requests).extracting(ExecuteStatementRequest::sessionId).containsOnlyNulls();
        assertThat(requests).extracting(ExecuteStatementRequest::dbUser).containsExactly("acme_reader", "globex_reader");
        assertThat(worker.warehouse.databaseUserOf(worker.stored(globex).statementId())).isEqualTo("globex_reader");
        assertThat(worker.warehouse.sessionOf(worker.stored(acme).statementId()))
                .isNotEqualTo(worker.warehouse.sessionOf(worker.stored(globex).statementId()));
    }

    @Test
    void runsAtMostTheTenantsShareAtOnceAndKeepsTheRestQueuedInTheWorker() {
        worker.close();
        worker = new WorkerHarness(new WorkerHarness.Settings(100, 2, "worker-1"));
        worker.warehouse.hangNewStatements();
        List<Job> jobs = List.of(aQueuedJob().build(), aQueuedJob().build(), aQueuedJob().build());

        List<Run> runs = jobs.stream().map(worker::submit).toList();

        await().until(() -> worker.warehouse.executeRequests().size() == 2);
        await().during(Duration.ofMillis(200)).until(() -> worker.warehouse.executeRequests().size() == 2);
        await().until(() -> runs.stream().allMatch(Run::acknowledged));
        Job waiting = jobs.stream().filter(job -> !worker.stored(job).hasStatement()).findFirst().orElseThrow();
        assertThat(worker.stored(waiting).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(worker.stored(waiting).lease().owner()).isEqualTo("worker-1");
        assertThat(worker.gauge("spectra.scheduler.waiting")).isEqualTo(1);

        String firstDone = worker.warehouse.statementIds().getFirst();
        worker.warehouse.finish(firstDone, 1);

        await().until(() -> worker.warehouse.executeRequests().size() == 3);
        assertThat(worker.warehouse.executeRequests().get(2).sessionId()).isEqualTo(worker.warehouse.sessionOf(firstDone));
        worker.warehouse.statementIds().forEach(statementId -> worker.warehouse.finish(statementId, 1));
        await().until(() -> runs.stream().allMatch(Run::finished));
        assertThat(jobs).allSatisfy(job -> assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING));
        assertThat(worker.gauge("spectra.sessions.open")).isEqualTo(2);
    }

    @Test
    void aYoungStatementIsLongPolledAndItsEndNoticedWithoutAnotherDescribe() {
        worker.close();
        worker = new WorkerHarness(new WorkerHarness.Settings(2, 2, "worker-1").withLongPolling(Duration.ofHours(1)));
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Run run = worker.submit(job);
        await().until(() -> worker.warehouse.longPolls() == 1);

        worker.warehouse.finish(worker.warehouse.statementIds().getFirst(), 1);

        await().until(run::finished);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING);
        // The waiting call itself answered FINISHED: no second call, and no plain poll at all.
        assertThat(worker.warehouse.longPolls()).isEqualTo(1);
        assertThat(worker.warehouse.plainDescribes()).isZero();
    }

    @Test
    void aStatementPastTheLongPollWindowIsPolledWithoutWaitingCalls() {
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::finished);

        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.warehouse.longPolls()).isZero();
        assertThat(worker.warehouse.plainDescribes()).isPositive();
    }

    @Test
    void aTenantLimitedToOneInTheRegistryRunsItsJobsOneAfterTheOtherWhileAnotherTenantRunsInParallel() {
        worker.warehouse.hangNewStatements();
        List<Job> limited = List.of(aQueuedJob().forTenant(ACME).withMaxConcurrentQueries(1).build(),
                aQueuedJob().forTenant(ACME).withMaxConcurrentQueries(1).build());
        List<Job> onDefault = List.of(aQueuedJob().forTenant(GLOBEX).build(), aQueuedJob().forTenant(GLOBEX).build());

        limited.forEach(worker::submit);
        onDefault.forEach(worker::submit);

        await().until(() -> worker.warehouse.executeRequests().size() == 3);
        await().during(Duration.ofMillis(200)).until(() -> worker.warehouse.executeRequests().size() == 3);
        assertThat(worker.warehouse.executeRequests()).extracting(ExecuteStatementRequest::dbUser)
                .containsExactlyInAnyOrder("acme_reader", "globex_reader", "globex_reader");
        Job first = limited.stream().filter(job -> worker.stored(job).hasStatement()).findFirst().orElseThrow();
        Job second = limited.stream().filter(job -> job != first).findFirst().orElseThrow();
        assertThat(worker.stored(second).status()).isEqualTo(JobStatus.QUEUED);

        worker.warehouse.finish(worker.stored(first).statementId(), 1);

        await().until(() -> worker.stored(second).hasStatement());
        assertThat(worker.warehouse.executeRequests()).hasSize(4);
    }

    @Test
    void aJobWaitingForASessionAtTheWorkersCapWaitsUntilItsOwnDeadlineNotAFixedWait() {
        worker.close();
        worker = new WorkerHarness(new WorkerHarness.Settings(1, 4, "worker-1"));
        worker.warehouse.hangNewStatements();
        Job holding = aQueuedJob().forTenant(ACME).build();
        worker.submit(holding);
        await().until(() -> worker.stored(holding).hasStatement());
        Job waiting = aQueuedJob().forTenant(GLOBEX).build();
        Run run = worker.submit(waiting);
        await().until(() -> worker.gauge("spectra.sessions.waiting") == 1);

        worker.clock.advance(Duration.ofMinutes(5));
        await().during(Duration.ofMillis(200)).until(() -> worker.stored(waiting).status() == JobStatus.QUEUED);
        worker.clock.advance(WorkerHarness.JOB_TIMEOUT);

        await().until(run::finished);
        Job timedOut = worker.stored(waiting);
        assertThat(timedOut.status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(timedOut.error().message()).isEqualTo("no warehouse session became free before the job's deadline");
        assertThat(worker.warehouse.executeRequests()).extracting(ExecuteStatementRequest::dbUser).containsExactly("acme_reader");
    }

    @Test
    void evictsExpiredSessionAndRetriesOnceOnFreshSession() {
        Job first = aQueuedJob().build();
        Job second = aQueuedJob().build();
        await().until(worker.submit(first)::finished);
        String expired = worker.warehouse.sessionOf(worker.stored(first).statementId());
        worker.warehouse.closeSession(expired);

        await().until(worker.submit(second)::finished);

        List<ExecuteStatementRequest> requests = worker.warehouse.executeRequests();
        assertThat(requests).extracting(ExecuteStatementRequest::sessionId).containsExactly(null, expired, null);
        assertThat(requests.get(2).dbUser()).isEqualTo("acme_reader");
        assertThat(requests.get(2).sessionKeepAliveSeconds()).isEqualTo(600);
        assertThat(worker.stored(second).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.counter("spectra.sessions.evicted", "reason", "refused")).isEqualTo(1);
        // The refused session may be busy rather than gone: it counts until its keep-alive would have ended.
        assertThat(worker.gauge("spectra.sessions.open")).isEqualTo(2);
    }

    @Test
    void retriesOnFreshSessionWhenTheWarehouseSaysTheSessionIsBusy() {
        await().until(worker.submit(aQueuedJob().build())::finished);
        worker.warehouse.failNextExecutes(FakeWarehouse.validation("Session is busy running another statement"));
        Job second = aQueuedJob().build();

        await().until(worker.submit(second)::finished);

        assertThat(worker.warehouse.executeRequests()).extracting(ExecuteStatementRequest::dbUser)
                .containsExactly("acme_reader", null, "acme_reader");
        assertThat(worker.stored(second).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.counter("spectra.sessions.evicted", "reason", "refused")).isEqualTo(1);
    }

    @Test
    void doesNotLendSessionWhoseKeepAliveIsAboutToRunOut() {
        Job first = aQueuedJob().build();
        Job second = aQueuedJob().build();
        await().until(worker.submit(first)::finished);

        worker.clock.advance(Duration.ofMinutes(10).minusSeconds(20));
        await().until(worker.submit(second)::finished);

        assertThat(worker.warehouse.executeRequests()).extracting(ExecuteStatementRequest::sessionId).containsOnlyNulls();
        assertThat(worker.counter("spectra.sessions.evicted", "reason", "expired")).isEqualTo(1);
    }

    @Test
    void acknowledgesARedeliveredRecordOfAJobItHoldsWithoutRunningItTwice() {
        worker.warehouse.hangNewStatements();
        Job started = aQueuedJob().build();
        Run first = worker.submit(started);
        await().until(() -> worker.stored(started).hasStatement());
        String statementId = worker.stored(started).statementId();

        Run redelivered = worker.redeliver(worker.stored(started));
        worker.warehouse.finish(statementId, 7);

        await().until(first::finished);
        assertThat(redelivered.acknowledged()).isTrue();
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
        assertThat(worker.stored(started).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.stored(started).rowCount()).isEqualTo(7);
    }

    @Test
    void reattachesToStatementStartedByAnotherWorker() {
        worker.warehouse.hangNewStatements();
        String othersStatement = worker.warehouse.executeStatement(ExecuteStatementRequest.builder()
                .clusterIdentifier("spectra").database("dev").dbUser("acme_reader").sql("SELECT 1").build()).id();
        Job job = aQueuedJob().runningStatement(othersStatement)
                .leasedTo("dead-worker", JobFixtures.SUBMITTED_AT.minusSeconds(1)).build();

        Run acknowledgement = worker.submit(job);
        worker.warehouse.fail(othersStatement, "division by zero");

        await().until(acknowledgement::finished);
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void executesClaimedJobWhoseWorkerStoppedBeforeStartingIt() {
        Job claimed = aQueuedJob().claimed().leasedTo("dead-worker", JobFixtures.SUBMITTED_AT.minusSeconds(1)).build();

        Run acknowledgement = worker.submit(claimed);

        await().until(acknowledgement::finished);
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
        assertThat(worker.stored(claimed).status()).isEqualTo(JobStatus.DELIVERING);
    }

    @Test
    void skipsJobAnotherWorkerClaimedFirst() {
        Job job = aQueuedJob().build();
        worker.jobs.competeBefore(next -> next.lease() != null && "worker-1".equals(next.lease().owner()),
                stored -> stored.leasedTo("worker-2", worker.clock.instant().plusSeconds(15)));

        Run run = worker.submit(job);

        await().until(run::finished);
        assertThat(run.jobStatusWhenAcknowledged()).isEqualTo(JobStatus.QUEUED);
        assertThat(worker.stored(job).lease().owner()).isEqualTo("worker-2");
        assertThat(worker.warehouse.executeRequests()).isEmpty();
        assertThat(worker.messages.eventStatuses()).isEmpty();
    }

    @Test
    void leavesAJobLeasedToALiveWorkerAlone() {
        Job job = aQueuedJob().leasedTo("worker-2", JobFixtures.SUBMITTED_AT.plusSeconds(15)).build();

        Run run = worker.submit(job);

        await().until(run::finished);
        assertThat(run.acknowledged()).isTrue();
        assertThat(worker.stored(job)).isEqualTo(job);
        assertThat(worker.warehouse.executeRequests()).isEmpty();
    }

    @Test
    void stopsWithoutTouchingTheStatementWhenAnotherWorkerTookTheJobOver() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        worker.jobs.competeBefore(Job::hasStatement,
                stored -> stored.leasedTo("worker-2", worker.clock.instant().plusSeconds(15)));

        Run run = worker.submit(job);

        await().until(run::finished);
        assertThat(worker.warehouse.cancelled()).isEmpty();
        assertThat(worker.stored(job).lease().owner()).isEqualTo("worker-2");
        assertThat(worker.stored(job).hasStatement()).isFalse();
        assertThat(worker.counter("spectra.jobs.lease_lost")).isEqualTo(1);
    }

    @Test
    void failsJobWithWarehouseMessageWhenStatementFails() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Run acknowledgement = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        worker.warehouse.fail(worker.stored(job).statementId(), "ERROR: relation \"orders\" does not exist");

        await().until(acknowledgement::finished);
        Job failed = worker.stored(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.QUERY_FAILED.name());
        assertThat(failed.error().message()).isEqualTo("ERROR: relation \"orders\" does not exist");
        assertThat(failed.error().retryable()).isFalse();
        assertThat(worker.messages.statementsFinished()).isEmpty();
        assertThat(worker.messages.eventStatuses()).containsExactly(JobStatus.RUNNING, JobStatus.FAILED);
        assertThat(worker.audit.records()).singleElement().satisfies(ended -> {
            assertThat(ended.decision()).isEqualTo(AuditRecord.Decision.ENDED);
            assertThat(ended.jobId()).isEqualTo(job.jobId());
            assertThat(ended.tenant()).isEqualTo(AuditRecord.Tenant.verified(job.tenantId()));
            assertThat(ended.jobStatus()).isEqualTo(JobStatus.FAILED);
            assertThat(ended.errorCode()).isEqualTo("QUERY_FAILED");
        });
        assertThat(worker.counter("spectra.jobs.ended", "tenant", "acme", "status", "FAILED", "code", "QUERY_FAILED")).isEqualTo(1);
        assertThat(worker.meters.get("spectra.jobs.run").tags("tenant", "acme", "status", "FAILED").timer().count()).isEqualTo(1);
        assertThat(worker.meters.get("spectra.jobs.end_to_end").tags("tenant", "acme", "status", "FAILED").timer().count()).isEqualTo(1);
    }

    @Test
    void failsJobWithQueryFailedWhenWarehouseRejectsTheSql() {
        worker.warehouse.failNextExecutes(FakeWarehouse.validation("syntax error at or near \"SELEC\""));
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::finished);

        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.FAILED);
        assertThat(worker.stored(job).error().code()).isEqualTo(ErrorCode.QUERY_FAILED.name());
        assertThat(worker.stored(job).error().message()).isEqualTo("syntax error at or near \"SELEC\"");
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
        assertThat(worker.counter("spectra.dataapi.calls", "operation", "ExecuteStatement", "outcome", "failed")).isEqualTo(1);
        assertThat(worker.counter("spectra.dataapi.calls", "operation", "ExecuteStatement", "outcome", "success")).isZero();
    }

    @Test
    void cancelsStatementAndTimesOutJob() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Run acknowledgement = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        worker.clock.advance(WorkerHarness.JOB_TIMEOUT.plusSeconds(1));

        await().until(acknowledgement::finished);
        Job timedOut = worker.stored(job);
        assertThat(timedOut.status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(timedOut.error().code()).isEqualTo(ErrorCode.QUERY_TIMED_OUT.name());
        assertThat(timedOut.error().message()).isEqualTo("the job ran longer than its timeout of 15m");
        assertThat(worker.warehouse.cancelled()).containsExactly(timedOut.statementId());
        assertThat(worker.counter("spectra.sessions.evicted", "reason", "abandoned")).isEqualTo(1);
        assertThat(worker.counter("spectra.dataapi.calls", "operation", "CancelStatement", "outcome", "success")).isEqualTo(1);
        assertThat(worker.meters.get("spectra.jobs.run").tags("status", "TIMED_OUT").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS))
                .isGreaterThan(WorkerHarness.JOB_TIMEOUT.toSeconds());
        assertThat(worker.counter("spectra.jobs.ended", "tenant", "acme", "status", "TIMED_OUT", "code", "QUERY_TIMED_OUT")).isEqualTo(1);
    }

    @Test
    void marksAbortedStatementCancelled() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Run acknowledgement = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        worker.warehouse.abort(worker.stored(job).statementId());

        await().until(acknowledgement::finished);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(worker.stored(job).error().code()).isEqualTo(ErrorCode.QUERY_CANCELLED.name());
        assertThat(worker.warehouse.cancelled()).isEmpty();
    }

    @Test
    void retriesThrottlingUntilTheJobsDeadlineThenFailsWithWarehouseUnavailable() {
        for (int i = 0; i < 10_000; i++) {
            worker.warehouse.failNextExecutes(FakeWarehouse.throttled());
        }
        Job job = aQueuedJob().build();
        Run run = worker.submit(job);
        await().until(() -> worker.warehouse.executeRequests().size() >= 5);
        // RUNNING from the first attempt on: written before the statement is first sent
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.RUNNING);

        worker.clock.advance(WorkerHarness.JOB_TIMEOUT);

        await().until(run::finished);
        Job failed = worker.stored(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.WAREHOUSE_UNAVAILABLE.name());
        assertThat(failed.error().retryable()).isTrue();
        assertThat(failed.error().message()).contains("deadline").contains("Active statements exceeded");
        assertThat(worker.gauge("spectra.sessions.open")).isZero();
    }

    @Test
    void retriesThrottledExecuteUntilTheWarehouseTakesIt() {
        worker.warehouse.failNextExecutes(FakeWarehouse.throttled(), SdkClientException.builder().message("connection reset").cause(new java.io.IOException("Connection reset")).build());
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::finished);

        assertThat(worker.warehouse.executeRequests()).hasSize(3);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.counter("spectra.dataapi.calls", "operation", "ExecuteStatement", "outcome", "throttled")).isEqualTo(1);
        assertThat(worker.counter("spectra.dataapi.calls", "operation", "ExecuteStatement", "outcome", "retried")).isEqualTo(1);
        assertThat(worker.counter("spectra.dataapi.calls", "operation", "ExecuteStatement", "outcome", "success")).isEqualTo(1);
        assertThat(worker.counter("spectra.dataapi.calls", "operation", "DescribeStatement", "outcome", "success")).isPositive();
    }

    @Test
    void acknowledgesTheRecordOnceTheJobIsClaimedNotWhenItEnds() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();

        Run run = worker.submit(job);

        await().until(run::acknowledged);
        await().until(() -> worker.stored(job).hasStatement());
        assertThat(run.finished()).isFalse();
        assertThat(run.jobStatusWhenAcknowledged()).isIn(JobStatus.QUEUED, JobStatus.RUNNING);
        assertThat(run.acknowledgements()).isEqualTo(1);
        worker.warehouse.finish(worker.stored(job).statementId(), 2);
        await().until(run::finished);
        assertThat(run.acknowledgements()).isEqualTo(1);
    }

    @Test
    void deliversStatementThatFinishedWithoutResultSetAsEmpty() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Run acknowledgement = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        worker.warehouse.finishWithoutResultSet(worker.stored(job).statementId());

        await().until(acknowledgement::finished);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.stored(job).rowCount()).isZero();
        assertThat(worker.messages.statementsFinished()).singleElement()
                .satisfies(finished -> assertThat(finished.resultRows()).isZero());
    }

    @Test
    void acknowledgesEndedJobWithoutTouchingTheWarehouse() {
        Job ended = aQueuedJob().ended(JobStatus.SUCCEEDED).build();

        await().until(worker.submit(ended)::finished);

        assertThat(worker.warehouse.executeRequests()).isEmpty();
        assertThat(worker.stored(ended)).isEqualTo(ended);
    }

    @Test
    void acknowledgesRequestForJobThatDoesNotExist() {
        Job neverStored = aQueuedJob().build();

        Run acknowledgement = worker.redeliver(neverStored);

        await().until(acknowledgement::finished);
        assertThat(acknowledgement.jobStatusWhenAcknowledged()).isNull();
        assertThat(worker.warehouse.executeRequests()).isEmpty();
        assertThat(worker.messages.eventStatuses()).isEmpty();
    }

    @Test
    void announcesDeliveringJobAgainWhenItsRequestIsRedelivered() {
        worker.warehouse.hangNewStatements();
        String statementId = worker.warehouse.executeStatement(ExecuteStatementRequest.builder()
                .clusterIdentifier("spectra").database("dev").dbUser("acme_reader").sql("SELECT 1").build()).id();
        worker.warehouse.finish(statementId, 5);
        Job delivering = aQueuedJob().delivering(statementId, 5).build();

        await().until(worker.submit(delivering)::finished);

        assertThat(worker.messages.statementsFinished())
                .containsExactly(new StatementFinished(delivering.jobId(), ACME, statementId, 5, 50));
        assertThat(worker.stored(delivering).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.stored(delivering).lease().owner()).isEqualTo("worker-1");
        assertThat(worker.stored(delivering).lease().expiresAt()).isEqualTo(worker.clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void retriesTheBrokerUntilStatementFinishedIsStored() {
        worker.messages.refuseNextStatementFinished(2);
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::finished);

        assertThat(worker.messages.statementsFinished()).hasSize(1);
    }

    @Test
    void waitsForTheJobTableWhileItIsThrottled() {
        worker.jobs.failNextCalls(unreachable(), unreachable());
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::finished);

        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING);
    }

    @Test
    void handsItsJobsOverWhenItStopsAndAnotherWorkerFollowsTheSameStatement() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());
        String statementId = worker.stored(job).statementId();

        worker.stop();

        assertThat(worker.warehouse.cancelled()).isEmpty();
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(worker.stored(job).lease().isExpired(worker.clock.instant())).isTrue();
        try (WorkerHarness successor = worker.joining("worker-2")) {
            assertThat(successor.sweeper.sweep()).isEqualTo(1);
            worker.warehouse.finish(statementId, 4);
            await().until(() -> successor.stored(job).status() == JobStatus.DELIVERING);
            assertThat(successor.warehouse.executeRequests()).hasSize(1);
            assertThat(successor.messages.statementsFinished()).singleElement()
                    .satisfies(finished -> assertThat(finished.statementId()).isEqualTo(statementId));
        }
    }

    @Test
    void aRetriedExecuteWhoseAnswerWasLostStartsTheStatementOnce() {
        worker.warehouse.loseNextExecuteAnswers(1);
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::finished);

        assertThat(worker.warehouse.executeRequests()).hasSize(2)
                .extracting(ExecuteStatementRequest::clientToken).containsOnly(job.jobId().value());
        assertThat(worker.warehouse.started(job.sql())).isEqualTo(1);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING);
    }

    @Test
    void aSweeperTakesOverARunningJobWhoseWorkerDiedAndFollowsItsStatement() {
        worker.warehouse.hangNewStatements();
        String orphan = worker.warehouse.executeStatement(ExecuteStatementRequest.builder().clientToken("x")
                .clusterIdentifier("spectra").database("dev").dbUser("acme_reader").sql("SELECT 1").build()).id();
        Job job = aQueuedJob().runningStatement(orphan).leasedTo("dead-worker", JobFixtures.SUBMITTED_AT.plusSeconds(15)).build();
        worker.jobs.put(job);
        assertThat(worker.sweeper.sweep()).as("the lease has not lapsed yet").isZero();

        worker.clock.advance(Duration.ofSeconds(16));
        assertThat(worker.sweeper.sweep()).isEqualTo(1);
        worker.warehouse.finish(orphan, 2);

        await().until(() -> worker.stored(job).status() == JobStatus.DELIVERING);
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
        assertThat(worker.counter("spectra.jobs.taken_over", "status", "RUNNING")).isEqualTo(1);
        assertThat(worker.meters.find("spectra.jobs.queue_wait").timer()).as("claimed before, by the dead worker").isNull();
        assertThat(worker.meters.find("spectra.jobs.run").timer()).as("this worker does not know when its run began").isNull();
    }

    @Test
    void aQueuedJobWhoseMessageNeverArrivedIsSweptAfterItsFirstClaimDeadline() {
        Job job = aQueuedJob().build();
        worker.jobs.put(job);
        assertThat(worker.sweeper.sweep()).isZero();

        worker.clock.advance(Job.FIRST_CLAIM_WITHIN.plusSeconds(1));
        assertThat(worker.sweeper.sweep()).isEqualTo(1);

        await().until(() -> worker.stored(job).status() == JobStatus.DELIVERING);
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
        var queueWait = worker.meters.get("spectra.jobs.queue_wait").tag("tenant", "acme").timer();
        assertThat(queueWait.count()).isEqualTo(1);
        assertThat(queueWait.totalTime(java.util.concurrent.TimeUnit.SECONDS)).as("its whole wait, from its acceptance")
                .isEqualTo(Job.FIRST_CLAIM_WITHIN.plusSeconds(1).toSeconds());
        assertThat(worker.meters.get("spectra.jobs.run").tags("tenant", "acme", "status", "DELIVERING").timer().count()).isEqualTo(1);
    }

    @Test
    void aWorkerThatLostItsLeaseWhileFrozenWritesNothingMore() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Run run = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());
        Job held = worker.stored(job);
        worker.jobs.put(dev.spectra.common.job.JobTable.replace("jobs", held,
                held.leasedTo("worker-2", worker.clock.instant().plusSeconds(15))).written());

        worker.warehouse.finish(held.statementId(), 3);

        await().until(run::finished);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(worker.stored(job).lease().owner()).isEqualTo("worker-2");
        assertThat(worker.messages.statementsFinished()).isEmpty();
        assertThat(worker.counter("spectra.jobs.lease_lost")).isEqualTo(1);
    }

    @Test
    void oneTenantsBurstDoesNotDelayAnotherTenantsStatement() {
        worker.close();
        worker = new WorkerHarness(new WorkerHarness.Settings(100, 2, "worker-1"));
        worker.warehouse.hangNewStatements();
        List<Job> burst = java.util.stream.IntStream.range(0, 10).mapToObj(i -> aQueuedJob().build()).toList();
        burst.forEach(worker::submit);
        await().until(() -> worker.warehouse.executeRequests().size() == 2);

        Job quiet = aQueuedJob().forTenant(GLOBEX).build();
        worker.submit(quiet);

        await().until(() -> worker.stored(quiet).hasStatement());
        assertThat(worker.warehouse.executeRequests()).hasSize(3);
        assertThat(worker.warehouse.executeRequests().get(2).dbUser()).isEqualTo("globex_reader");
        assertThat(worker.gauge("spectra.scheduler.waiting")).isEqualTo(8);
    }

    private static SdkClientException unreachable() {
        return SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new java.net.SocketTimeoutException("Read timed out")).build();
    }
    @Test
    void aWorkerTakingOverAJobWhoseDeadOwnerStartedItsStatementOnASessionFollowsThatStatement() {
        String deadWorkersSession = worker.warehouse.executeStatement(ExecuteStatementRequest.builder()
                .clusterIdentifier("spectra").database("dev").dbUser("acme_reader").sql("SELECT 1")
                .sessionKeepAliveSeconds(600).build()).sessionId();
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        // The dead worker ran the job on its warm session: a request this worker, without that session, cannot repeat.
        String started = worker.warehouse.executeStatement(ExecuteStatementRequest.builder()
                .clientToken(job.jobId().value())
                .statementName(StatementRequests.statementNameOf(job.jobId()))
                .sessionId(deadWorkersSession).sql(job.sql()).build()).id();
        worker.jobs.put(job.leasedTo("dead-worker", JobFixtures.SUBMITTED_AT.minusSeconds(1)));

        assertThat(worker.sweeper.sweep()).isEqualTo(1);
        await().until(() -> started.equals(worker.stored(job).statementId()));
        worker.warehouse.finish(started, 2);

        await().until(() -> worker.stored(job).status() == JobStatus.DELIVERING);
        assertThat(worker.warehouse.started(job.sql())).isEqualTo(1);
        assertThat(worker.warehouse.executeRequests()).hasSize(2);
    }

    @Test
    void aTakenOverJobWhoseStatementIsNotListedYetFollowsItOnceTheTokenIsRefused() {
        String deadWorkersSession = worker.warehouse.executeStatement(ExecuteStatementRequest.builder()
                .clusterIdentifier("spectra").database("dev").dbUser("acme_reader").sql("SELECT 1")
                .sessionKeepAliveSeconds(600).build()).sessionId();
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        String started = worker.warehouse.executeStatement(ExecuteStatementRequest.builder()
                .clientToken(job.jobId().value())
                .statementName(StatementRequests.statementNameOf(job.jobId()))
                .sessionId(deadWorkersSession).sql(job.sql()).build()).id();
        worker.jobs.put(job.leasedTo("dead-worker", JobFixtures.SUBMITTED_AT.minusSeconds(1)));
        // The first lookup misses it; this worker's ExecuteStatement then repeats the token with other parameters.
        worker.warehouse.missNextListings(1);

        assertThat(worker.sweeper.sweep()).isEqualTo(1);
        await().until(() -> started.equals(worker.stored(job).statementId()));
        worker.warehouse.finish(started, 2);

        await().until(() -> worker.stored(job).status() == JobStatus.DELIVERING);
        assertThat(worker.warehouse.started(job.sql())).isEqualTo(1);
        assertThat(worker.warehouse.listings()).isEqualTo(2);
        assertThat(worker.stored(job).error()).isNull();
    }

    @Test
    void anUnloadedJobStartsItsUnloadWithTheSameTokenNameAndUserAsItsQueryWouldHave() {
        Job job = aQueuedJob().forTenant(ACME).delivered(new DeliveryOptions(Disposition.AUTO, ResultFormat.PARQUET,
                Compression.NONE, null, null)).build();

        await().until(worker.submit(job)::finished);

        ExecuteStatementRequest request = worker.warehouse.executeRequests().getFirst();
        assertThat(request.sql()).isEqualTo(UnloadStatement.of(job, WorkerHarness.RESULTS).text());
        assertThat(request.dbUser()).isEqualTo("acme_reader");
        assertThat(request.clientToken()).isEqualTo(job.jobId().value());
        assertThat(request.statementName()).isEqualTo(StatementRequests.statementNameOf(job.jobId()));
        assertThat(request.sessionKeepAliveSeconds()).isNotNull();
    }

    @Test
    void anUnloadedJobFailsWithAnInternalErrorWhenNoUnloadRoleIsConfigured() {
        worker.close();
        worker = new WorkerHarness(new WorkerHarness.Settings(100, 4, "worker-1").withoutUnloadRole());
        Job job = aQueuedJob().forTenant(ACME).delivered(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV,
                Compression.NONE, null, null)).build();

        await().until(worker.submit(job)::finished);

        Job stored = worker.stored(job);
        assertThat(stored.status()).isEqualTo(JobStatus.FAILED);
        assertThat(stored.error().code()).isEqualTo(ErrorCode.INTERNAL_ERROR.name());
        assertThat(worker.warehouse.executeRequests()).isEmpty();
    }
}
