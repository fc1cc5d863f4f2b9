package dev.spectra.queryworker.execution;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.queryworker.testing.FakeWarehouse;
import dev.spectra.queryworker.testing.WorkerHarness;
import dev.spectra.queryworker.testing.WorkerHarness.Acknowledgement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;

import java.time.Duration;
import java.util.List;

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

        Acknowledgement acknowledgement = worker.submit(job);

        await().until(acknowledgement::done);
        Job stored = worker.stored(job);
        assertThat(stored.status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(stored.rowCount()).isEqualTo(3);
        assertThat(stored.statementId()).isEqualTo(worker.warehouse.statementIds().getFirst());
        assertThat(worker.messages.statementsFinished())
                .containsExactly(new StatementFinished(job.jobId(), ACME, stored.statementId(), 3, 30));
        assertThat(worker.messages.eventStatuses()).containsExactly(JobStatus.RUNNING, JobStatus.DELIVERING);
        ExecuteStatementRequest request = worker.warehouse.executeRequests().getFirst();
        assertThat(request.sql()).isEqualTo(job.sql());
        assertThat(request.dbUser()).isEqualTo("acme_reader");
    }

    @Test
    void reusesWarmSessionForSecondStatementOfSameUser() {
        Job first = aQueuedJob().forTenant(ACME).build();
        Job second = aQueuedJob().forTenant(ACME).build();

        await().until(worker.submit(first)::done);
        await().until(worker.submit(second)::done);

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
    }

    @Test
    void neverSharesASessionBetweenDatabaseUsers() {
        Job acme = aQueuedJob().forTenant(ACME).build();
        Job globex = aQueuedJob().forTenant(GLOBEX).build();

        await().until(worker.submit(acme)::done);
        await().until(worker.submit(globex)::done);

        List<ExecuteStatementRequest> requests = worker.warehouse.executeRequests();
        assertThat(requests).extracting(ExecuteStatementRequest::sessionId).containsOnlyNulls();
        assertThat(requests).extracting(ExecuteStatementRequest::dbUser).containsExactly("acme_reader", "globex_reader");
        assertThat(worker.warehouse.databaseUserOf(worker.stored(globex).statementId())).isEqualTo("globex_reader");
        assertThat(worker.warehouse.sessionOf(worker.stored(acme).statementId()))
                .isNotEqualTo(worker.warehouse.sessionOf(worker.stored(globex).statementId()));
    }

    @Test
    void boundsSessionsPerUserAndQueuesTheRest() {
        worker.close();
        worker = new WorkerHarness(2);
        worker.warehouse.hangNewStatements();
        List<Job> jobs = List.of(aQueuedJob().build(), aQueuedJob().build(), aQueuedJob().build());

        List<Acknowledgement> acknowledgements = jobs.stream().map(worker::submit).toList();

        await().until(() -> worker.warehouse.executeRequests().size() == 2);
        await().during(Duration.ofMillis(200)).until(() -> worker.warehouse.executeRequests().size() == 2);
        await().until(() -> jobs.stream().filter(job -> worker.stored(job).hasStatement()).count() == 2);
        Job waiting = jobs.stream().filter(job -> !worker.stored(job).hasStatement()).findFirst().orElseThrow();
        assertThat(worker.stored(waiting).status()).isEqualTo(JobStatus.RUNNING);

        String firstDone = worker.warehouse.statementIds().getFirst();
        worker.warehouse.finish(firstDone, 1);

        await().until(() -> worker.warehouse.executeRequests().size() == 3);
        assertThat(worker.warehouse.executeRequests().get(2).sessionId()).isEqualTo(worker.warehouse.sessionOf(firstDone));
        worker.warehouse.statementIds().forEach(statementId -> worker.warehouse.finish(statementId, 1));
        await().until(() -> acknowledgements.stream().allMatch(Acknowledgement::done));
        assertThat(jobs).allSatisfy(job -> assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING));
        assertThat(worker.gauge("spectra.sessions.open")).isEqualTo(2);
    }

    @Test
    void evictsExpiredSessionAndRetriesOnceOnFreshSession() {
        Job first = aQueuedJob().build();
        Job second = aQueuedJob().build();
        await().until(worker.submit(first)::done);
        String expired = worker.warehouse.sessionOf(worker.stored(first).statementId());
        worker.warehouse.closeSession(expired);

        await().until(worker.submit(second)::done);

        List<ExecuteStatementRequest> requests = worker.warehouse.executeRequests();
        assertThat(requests).extracting(ExecuteStatementRequest::sessionId).containsExactly(null, expired, null);
        assertThat(requests.get(2).dbUser()).isEqualTo("acme_reader");
        assertThat(requests.get(2).sessionKeepAliveSeconds()).isEqualTo(600);
        assertThat(worker.stored(second).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.counter("spectra.sessions.evicted", "reason", "refused")).isEqualTo(1);
        assertThat(worker.gauge("spectra.sessions.open")).isEqualTo(1);
    }

    @Test
    void retriesOnFreshSessionWhenTheWarehouseSaysTheSessionIsBusy() {
        await().until(worker.submit(aQueuedJob().build())::done);
        worker.warehouse.failNextExecutes(FakeWarehouse.validation("Session is busy running another statement"));
        Job second = aQueuedJob().build();

        await().until(worker.submit(second)::done);

        assertThat(worker.warehouse.executeRequests()).extracting(ExecuteStatementRequest::dbUser)
                .containsExactly("acme_reader", null, "acme_reader");
        assertThat(worker.stored(second).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.counter("spectra.sessions.evicted", "reason", "refused")).isEqualTo(1);
    }

    @Test
    void doesNotLendSessionWhoseKeepAliveIsAboutToRunOut() {
        Job first = aQueuedJob().build();
        Job second = aQueuedJob().build();
        await().until(worker.submit(first)::done);

        worker.clock.advance(Duration.ofMinutes(10).minusSeconds(20));
        await().until(worker.submit(second)::done);

        assertThat(worker.warehouse.executeRequests()).extracting(ExecuteStatementRequest::sessionId).containsOnlyNulls();
        assertThat(worker.counter("spectra.sessions.evicted", "reason", "expired")).isEqualTo(1);
    }

    @Test
    void reattachesToExistingStatementInsteadOfExecutingAgain() {
        worker.warehouse.hangNewStatements();
        Job started = aQueuedJob().build();
        worker.submit(started);
        await().until(() -> worker.stored(started).hasStatement());
        String statementId = worker.stored(started).statementId();

        Acknowledgement redelivered = worker.redeliver(worker.stored(started));
        worker.warehouse.finish(statementId, 7);

        await().until(redelivered::done);
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
        assertThat(worker.stored(started).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.stored(started).rowCount()).isEqualTo(7);
    }

    @Test
    void reattachesToStatementStartedByAnotherWorker() {
        worker.warehouse.hangNewStatements();
        String othersStatement = worker.warehouse.executeStatement(ExecuteStatementRequest.builder()
                .clusterIdentifier("spectra").database("dev").dbUser("acme_reader").sql("SELECT 1").build()).id();
        Job job = aQueuedJob().runningStatement(othersStatement).build();

        Acknowledgement acknowledgement = worker.submit(job);
        worker.warehouse.fail(othersStatement, "division by zero");

        await().until(acknowledgement::done);
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void executesClaimedJobWhoseWorkerStoppedBeforeStartingIt() {
        Job claimed = aQueuedJob().claimed().build();

        Acknowledgement acknowledgement = worker.submit(claimed);

        await().until(acknowledgement::done);
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
        assertThat(worker.stored(claimed).status()).isEqualTo(JobStatus.DELIVERING);
    }

    @Test
    void skipsJobAlreadyClaimedByAnotherWorker() {
        Job job = aQueuedJob().build();
        worker.jobs.competeBefore(next -> next.status() == JobStatus.RUNNING,
                stored -> stored.transitionTo(JobStatus.RUNNING, worker.clock.instant()));

        Acknowledgement acknowledgement = worker.submit(job);

        await().until(acknowledgement::done);
        assertThat(acknowledgement.jobStatusWhenAcknowledged()).isEqualTo(JobStatus.RUNNING);
        assertThat(worker.warehouse.executeRequests()).isEmpty();
        assertThat(worker.messages.eventStatuses()).isEmpty();
    }

    @Test
    void cancelsOwnStatementWhenAnotherWorkerRecordedOneFirst() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        worker.jobs.competeBefore(Job::hasStatement,
                stored -> stored.withStatementId("statement-of-another-worker", worker.clock.instant()));

        Acknowledgement acknowledgement = worker.submit(job);

        await().until(acknowledgement::done);
        String ours = worker.warehouse.statementIds().getFirst();
        assertThat(worker.warehouse.cancelled()).containsExactly(ours);
        assertThat(worker.stored(job).statementId()).isEqualTo("statement-of-another-worker");
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void failsJobWithWarehouseMessageWhenStatementFails() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Acknowledgement acknowledgement = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        worker.warehouse.fail(worker.stored(job).statementId(), "ERROR: relation \"orders\" does not exist");

        await().until(acknowledgement::done);
        Job failed = worker.stored(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.QUERY_FAILED.name());
        assertThat(failed.error().message()).isEqualTo("ERROR: relation \"orders\" does not exist");
        assertThat(failed.error().retryable()).isFalse();
        assertThat(worker.messages.statementsFinished()).isEmpty();
        assertThat(worker.messages.eventStatuses()).containsExactly(JobStatus.RUNNING, JobStatus.FAILED);
    }

    @Test
    void failsJobWithQueryFailedWhenWarehouseRejectsTheSql() {
        worker.warehouse.failNextExecutes(FakeWarehouse.validation("syntax error at or near \"SELEC\""));
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::done);

        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.FAILED);
        assertThat(worker.stored(job).error().code()).isEqualTo(ErrorCode.QUERY_FAILED.name());
        assertThat(worker.stored(job).error().message()).isEqualTo("syntax error at or near \"SELEC\"");
        assertThat(worker.warehouse.executeRequests()).hasSize(1);
    }

    @Test
    void cancelsStatementAndTimesOutJob() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Acknowledgement acknowledgement = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        worker.clock.advance(WorkerHarness.STATEMENT_TIMEOUT.plusSeconds(1));

        await().until(acknowledgement::done);
        Job timedOut = worker.stored(job);
        assertThat(timedOut.status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(timedOut.error().code()).isEqualTo(ErrorCode.QUERY_TIMED_OUT.name());
        assertThat(timedOut.error().message()).isEqualTo("the statement ran longer than 15m");
        assertThat(worker.warehouse.cancelled()).containsExactly(timedOut.statementId());
        assertThat(worker.counter("spectra.sessions.evicted", "reason", "abandoned")).isEqualTo(1);
    }

    @Test
    void marksAbortedStatementCancelled() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Acknowledgement acknowledgement = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        worker.warehouse.abort(worker.stored(job).statementId());

        await().until(acknowledgement::done);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(worker.stored(job).error().code()).isEqualTo(ErrorCode.QUERY_CANCELLED.name());
        assertThat(worker.warehouse.cancelled()).isEmpty();
    }

    @Test
    void retriesThrottledExecuteThenFailsWithWarehouseUnavailable() {
        worker.warehouse.failNextExecutes(FakeWarehouse.throttled(), FakeWarehouse.throttled(), FakeWarehouse.throttled());
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::done);

        assertThat(worker.warehouse.executeRequests()).hasSize(WorkerHarness.MAX_EXECUTE_ATTEMPTS);
        Job failed = worker.stored(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.WAREHOUSE_UNAVAILABLE.name());
        assertThat(failed.error().retryable()).isTrue();
        assertThat(failed.error().message()).contains("3 attempts").contains("Active statements exceeded");
        assertThat(worker.gauge("spectra.sessions.open")).isZero();
    }

    @Test
    void retriesThrottledExecuteUntilTheWarehouseTakesIt() {
        worker.warehouse.failNextExecutes(FakeWarehouse.throttled(), SdkClientException.create("connection reset"));
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::done);

        assertThat(worker.warehouse.executeRequests()).hasSize(3);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING);
    }

    @Test
    void acknowledgesOnlyAfterJobLeftRunning() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Acknowledgement acknowledgement = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        await().during(Duration.ofMillis(200)).until(() -> !acknowledgement.done());
        worker.warehouse.finish(worker.stored(job).statementId(), 2);

        await().until(acknowledgement::done);
        assertThat(acknowledgement.jobStatusWhenAcknowledged()).isEqualTo(JobStatus.DELIVERING);
        assertThat(acknowledgement.count()).isEqualTo(1);
    }

    @Test
    void deliversStatementThatFinishedWithoutResultSetAsEmpty() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Acknowledgement acknowledgement = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        worker.warehouse.finishWithoutResultSet(worker.stored(job).statementId());

        await().until(acknowledgement::done);
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(worker.stored(job).rowCount()).isZero();
        assertThat(worker.messages.statementsFinished()).singleElement()
                .satisfies(finished -> assertThat(finished.resultRows()).isZero());
    }

    @Test
    void acknowledgesEndedJobWithoutTouchingTheWarehouse() {
        Job ended = aQueuedJob().ended(JobStatus.SUCCEEDED).build();

        await().until(worker.submit(ended)::done);

        assertThat(worker.warehouse.executeRequests()).isEmpty();
        assertThat(worker.stored(ended)).isEqualTo(ended);
    }

    @Test
    void acknowledgesRequestForJobThatDoesNotExist() {
        Job neverStored = aQueuedJob().build();

        Acknowledgement acknowledgement = worker.redeliver(neverStored);

        await().until(acknowledgement::done);
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

        await().until(worker.submit(delivering)::done);

        assertThat(worker.messages.statementsFinished())
                .containsExactly(new StatementFinished(delivering.jobId(), ACME, statementId, 5, 50));
        assertThat(worker.stored(delivering)).isEqualTo(delivering);
    }

    @Test
    void retriesTheBrokerUntilStatementFinishedIsStored() {
        worker.messages.refuseNextStatementFinished(2);
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::done);

        assertThat(worker.messages.statementsFinished()).hasSize(1);
    }

    @Test
    void waitsForTheJobTableWhileItIsThrottled() {
        worker.jobs.failNextCalls(SdkClientException.create("timeout"), SdkClientException.create("timeout"));
        Job job = aQueuedJob().build();

        await().until(worker.submit(job)::done);

        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.DELIVERING);
    }

    @Test
    void leavesStatementsRunningAndRequestsUnacknowledgedWhenStopping() {
        worker.warehouse.hangNewStatements();
        Job job = aQueuedJob().build();
        Acknowledgement acknowledgement = worker.submit(job);
        await().until(() -> worker.stored(job).hasStatement());

        worker.stop();
        worker.warehouse.finish(worker.stored(job).statementId(), 1);

        await().during(Duration.ofMillis(200)).until(() -> !acknowledgement.done());
        assertThat(worker.warehouse.cancelled()).isEmpty();
        assertThat(worker.stored(job).status()).isEqualTo(JobStatus.RUNNING);
    }
}
