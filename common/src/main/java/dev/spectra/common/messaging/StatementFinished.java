package dev.spectra.common.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.TenantId;

import static java.util.Objects.requireNonNull;

/**
 * A job's statement FINISHED in the warehouse and the job is DELIVERING: its result can be read.
 *
 * @param resultRows  rows in the result set, as the Data API reported them
 * @param resultBytes size of the result set in bytes, as the Data API reported it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatementFinished(
        int schemaVersion, JobId jobId, TenantId tenantId, String statementId, long resultRows, long resultBytes) {

    public static final int SCHEMA_VERSION = 1;

    public StatementFinished {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(statementId, "statementId is null");
    }

    public StatementFinished(JobId jobId, TenantId tenantId, String statementId, long resultRows, long resultBytes) {
        this(SCHEMA_VERSION, jobId, tenantId, statementId, resultRows, resultBytes);
    }
}
