package dev.spectra.gateway.jobs;

import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.metrics.JobMetrics;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.testing.MutableClock;
import dev.spectra.common.testing.RecordingAuditTrail;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class JobSubmitterTest {

    private static final Tenant ACME = new Tenant(TenantId.of("acme"), "tenant_acme", true);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00.123456789Z"));
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final RecordingJobQueue queue = new RecordingJobQueue();
    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JobSubmitter submitter = new JobSubmitter(store, queue, clock, Duration.ofDays(7), Duration.ofMinutes(15), audit,
            new JobMetrics(meters));

    @Test
    void recordsQueuesAndAnnouncesAJob() {
        Job job = submitter.submit(ACME, "SELECT 1", DeliveryOptions.DEFAULT, JobOptions.NONE).block();

        assertThat(store.stored(ACME.id(), job.jobId())).contains(job);
        assertThat(job.submittedAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123Z"));
        assertThat(queue.requests()).singleElement().satisfies(request -> assertThat(request.jobId()).isEqualTo(job.jobId()));
        assertThat(queue.events()).singleElement().satisfies(event -> assertThat(event.status()).isEqualTo(JobStatus.QUEUED));
    }

    @Test
    void copiesTheTenantsConcurrencyIntoTheJobSoTheWorkerNeedsNoRegistryRead() {
        Tenant limited = new Tenant(TenantId.of("globex"), "tenant_globex", true, 2);

        Job limitedJob = submitter.submit(limited, "SELECT 1", DeliveryOptions.DEFAULT, JobOptions.NONE).block();
        Job defaultJob = submitter.submit(ACME, "SELECT 1", DeliveryOptions.DEFAULT, JobOptions.NONE).block();

        assertThat(store.stored(limited.id(), limitedJob.jobId()).orElseThrow().maxConcurrentQueries()).isEqualTo(2);
        assertThat(store.stored(ACME.id(), defaultJob.jobId()).orElseThrow().maxConcurrentQueries()).isNull();
    }

    @Test
    void storesTheRequestedDeliveryAndTheTenantsResultLimitOnTheJob() {
        Tenant capped = new Tenant(TenantId.of("globex"), "tenant_globex", true, null, 1_000_000L);
        DeliveryOptions csvLinks = new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP, 500L, null);

        Job cappedJob = submitter.submit(capped, "SELECT 1", csvLinks, JobOptions.NONE).block();
        Job defaultJob = submitter.submit(ACME, "SELECT 1", DeliveryOptions.DEFAULT, JobOptions.NONE).block();

        Job stored = store.stored(capped.id(), cappedJob.jobId()).orElseThrow();
        assertThat(stored.delivery()).isEqualTo(csvLinks);
        assertThat(stored.maxResultBytes()).isEqualTo(1_000_000L);
        assertThat(store.stored(ACME.id(), defaultJob.jobId()).orElseThrow().maxResultBytes()).isNull();
    }

    @Test
    void stillAnswersUnavailableWhenTheJobCanNeitherBeQueuedNorMarkedFailed() {
        queue.failWith(new IllegalStateException("broker unreachable"));
        store.failReplacesWith(new IllegalStateException("DynamoDB is down too"));

        StepVerifier.create(submitter.submit(ACME, "SELECT 1", DeliveryOptions.DEFAULT, JobOptions.NONE))
                .expectErrorSatisfies(error -> assertThat(((ProblemException) error).problem().status().value()).isEqualTo(503))
                .verify();
        assertThat(store.all()).singleElement().satisfies(job -> assertThat(job.status()).isEqualTo(JobStatus.QUEUED));
        assertThat(audit.records()).as("the job did not end").isEmpty();
    }

    @Test
    void aJobThatCouldNotBeQueuedIsMarkedFailedAndRecordedAsEnded() {
        queue.failWith(new IllegalStateException("broker unreachable"));

        StepVerifier.create(submitter.submit(ACME, "SELECT 1", DeliveryOptions.DEFAULT, JobOptions.NONE)).expectError(ProblemException.class).verify();

        Job failed = store.all().getFirst();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(audit.records()).singleElement().satisfies(record -> {
            assertThat(record.decision()).isEqualTo(AuditRecord.Decision.ENDED);
            assertThat(record.jobId()).isEqualTo(failed.jobId());
            assertThat(record.jobStatus()).isEqualTo(JobStatus.FAILED);
            assertThat(record.errorCode()).isEqualTo("INTERNAL_ERROR");
        });
        assertThat(meters.get("spectra.jobs.ended").tags("tenant", "acme", "status", "FAILED", "code", "INTERNAL_ERROR").counter().count())
                .isEqualTo(1);
    }

    @Test
    void leavesTheJobToAWorkerThatChangedItFirst() {
        // the send timed out, yet the message arrived and a worker claimed the job
        queue.failWith(new IllegalStateException("ack timed out"));
        store.beforeNextReplace(job -> job.transitionTo(JobStatus.RUNNING, clock.instant()));

        StepVerifier.create(submitter.submit(ACME, "SELECT 1", DeliveryOptions.DEFAULT, JobOptions.NONE)).expectError(ProblemException.class).verify();
        assertThat(store.all()).singleElement().satisfies(job -> assertThat(job.status()).isEqualTo(JobStatus.RUNNING));
    }
}
