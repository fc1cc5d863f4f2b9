package dev.spectra.deliveryworker.jobs;

import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.tenant.TenantId;

import java.time.Duration;
import java.time.Instant;

/** Builds jobs the way the gateway and the query worker leave them: {@code aDeliveringJob().forTenant(ACME).build()}. */
public final class JobFixture {

    public static final TenantId ACME = TenantId.of("acme");
    public static final Instant SUBMITTED_AT = Instant.parse("2026-03-01T09:59:00Z");

    private TenantId tenantId = ACME;
    private JobId jobId = JobId.random();
    private String statementId = "stmt-" + jobId.value().substring(0, 8);
    private DeliveryOptions delivery = DeliveryOptions.DEFAULT;
    private Long maxResultBytes;

    private JobFixture() {}

    public static JobFixture aDeliveringJob() {
        return new JobFixture();
    }

    public JobFixture forTenant(TenantId tenant) {
        this.tenantId = tenant;
        return this;
    }

    public JobFixture askingFor(DeliveryOptions options) {
        this.delivery = options;
        return this;
    }

    public JobFixture askingFor(Disposition disposition, ResultFormat format, Compression compression) {
        return askingFor(new DeliveryOptions(disposition, format, compression, null, null));
    }

    public JobFixture withMaxResultBytes(long bytes) {
        this.maxResultBytes = bytes;
        return this;
    }

    public JobFixture withStatement(String id) {
        this.statementId = id;
        return this;
    }

    /** QUEUED, claimed RUNNING, statement stored, DELIVERING: each step a versioned write, as in the table. */
    public Job build() {
        Instant at = SUBMITTED_AT;
        Job queued = Job.queued(tenantId, jobId, "select region, count(*) from orders group by region",
                "tenant_" + tenantId.value(), null, delivery, JobOptions.NONE, maxResultBytes, at, Duration.ofDays(7));
        Job running = written(queued, queued.transitionTo(JobStatus.RUNNING, at.plusSeconds(1)));
        Job withStatement = written(running, running.withStatementId(statementId, at.plusSeconds(2)));
        Job delivering = withStatement.transitionTo(JobStatus.DELIVERING, at.plusSeconds(30))
                .leasedTo("query-worker-1", at.plusSeconds(60));
        return written(withStatement, delivering);
    }

    private static Job written(Job current, Job next) {
        return JobTable.replace(JobTable.DEFAULT_NAME, current, next).written();
    }
}
