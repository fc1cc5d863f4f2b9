package dev.spectra.common.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.tenant.TenantId;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** A job reached a visible state. Published after the state is stored; pipelines may see a state twice. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEvent(
        int schemaVersion,
        JobId jobId,
        TenantId tenantId,
        JobStatus status,
        long version,
        Instant occurredAt,
        Long rowCount,
        String errorCode) {

    public static final int SCHEMA_VERSION = 1;

    public JobEvent {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(status, "status is null");
        requireNonNull(occurredAt, "occurredAt is null");
    }

    public static JobEvent of(Job job) {
        return new JobEvent(SCHEMA_VERSION, job.jobId(), job.tenantId(), job.status(), job.version(), job.updatedAt(),
                job.rowCount(), job.error() == null ? null : job.error().code());
    }
}
