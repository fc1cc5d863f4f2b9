package dev.spectra.gateway.support;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.result.ResultSummary;
import dev.spectra.common.tenant.TenantId;

import java.time.Duration;
import java.time.Instant;

/** Jobs in any state, built the way the workers move them: {@code aQueuedJob().forTenant(ACME).running()}. */
public final class JobFixtures {

    private TenantId tenant = TenantId.of("acme");
    private JobId jobId = JobId.random();
    private Instant submittedAt = Instant.parse("2026-03-01T10:00:00Z");

    private JobFixtures() {}

    public static JobFixtures aQueuedJob() {
        return new JobFixtures();
    }

    public JobFixtures forTenant(TenantId tenantId) {
        this.tenant = tenantId;
        return this;
    }

    public JobFixtures withId(JobId id) {
        this.jobId = id;
        return this;
    }

    public JobFixtures submittedAt(Instant instant) {
        this.submittedAt = instant;
        return this;
    }

    public Job queued() {
        return Job.queued(tenant, jobId, "SELECT region, count(*) FROM sales GROUP BY region", "tenant_" + tenant.value(),
                submittedAt, Duration.ofDays(7));
    }

    public Job running() {
        return queued().transitionTo(JobStatus.RUNNING, submittedAt.plusSeconds(1)).withStatementId("stmt-1", submittedAt.plusSeconds(1));
    }

    public Job succeeded(long rows, String resultJson) {
        return running().transitionTo(JobStatus.DELIVERING, submittedAt.plusSeconds(2))
                .succeeded(rows, resultJson, submittedAt.plusSeconds(3));
    }

    /** SUCCEEDED with {@code delivered}; {@code document} only for a result on the item. */
    public Job succeeded(ResultSummary delivered, String document) {
        return running().transitionTo(JobStatus.DELIVERING, submittedAt.plusSeconds(2))
                .succeeded(delivered, document, submittedAt.plusSeconds(3));
    }

    public Job failed(ErrorCode code, String message) {
        return running().endWith(JobStatus.FAILED, JobError.of(code, message), submittedAt.plusSeconds(2));
    }
}
