package dev.spectra.common.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.TenantId;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A job was accepted and recorded as QUEUED. Carries only identity: the job record in the job table
 * is the truth, so a stale or replayed message can never run a different query.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobRequested(int schemaVersion, JobId jobId, TenantId tenantId, Instant submittedAt) {

    public static final int SCHEMA_VERSION = 1;

    public JobRequested {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(submittedAt, "submittedAt is null");
    }

    public JobRequested(JobId jobId, TenantId tenantId, Instant submittedAt) {
        this(SCHEMA_VERSION, jobId, tenantId, submittedAt);
    }
}
