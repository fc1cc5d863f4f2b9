package dev.spectra.common.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultSummary;
import dev.spectra.common.tenant.TenantId;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A job reached a visible state. Published after the state is stored; pipelines may see a state twice.
 *
 * @param result the delivered result's summary, on a SUCCEEDED event only (schema 2)
 */
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
        String errorCode,
        Result result) {

    /** 2 added {@code result}; a consumer of 1 ignores it. */
    public static final int SCHEMA_VERSION = 2;

    public JobEvent {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(status, "status is null");
        requireNonNull(occurredAt, "occurredAt is null");
    }

    /**
     * What a pipeline needs to fetch a result's files without asking the API: the manifest's {@code s3://} location
     * (absent for a result small enough to live on the job item) lists the chunk files.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(Disposition disposition, ResultFormat format, Compression compression, long rowCount, long byteCount,
                         boolean truncated, int chunkCount, String manifest) {

        public Result {
            requireNonNull(disposition, "disposition is null");
            requireNonNull(format, "format is null");
            requireNonNull(compression, "compression is null");
        }

        static Result of(ResultSummary summary) {
            return new Result(summary.disposition(), summary.format(), summary.compression(), summary.rowCount(), summary.byteCount(),
                    summary.truncated(), summary.chunkCount(), summary.manifest() == null ? null : summary.manifest().toString());
        }
    }

    public static JobEvent of(Job job) {
        return new JobEvent(SCHEMA_VERSION, job.jobId(), job.tenantId(), job.status(), job.version(), job.updatedAt(),
                job.rowCount(), job.error() == null ? null : job.error().code(),
                job.status() == JobStatus.SUCCEEDED && job.result() != null ? Result.of(job.result()) : null);
    }
}
