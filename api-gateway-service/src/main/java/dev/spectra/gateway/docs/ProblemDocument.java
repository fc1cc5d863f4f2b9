package dev.spectra.gateway.docs;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.spectra.common.error.ErrorCode;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How every error looks (RFC 9457 problem details with a stable code), for the OpenAPI document; the gateway writes
 * it with {@code ProblemWriter}. Members past {@code code} appear only with some codes.
 */
@Schema(name = "Problem", description = "An error: application/problem+json with a stable `code`.")
public record ProblemDocument(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "urn:spectra:problem:job-not-found") String type,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Job not found") String title,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "404") int status,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "No such job.") String detail,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, implementation = ErrorCode.class) ErrorCode code,
        @JsonProperty("job_status") @Schema(description = "RESULT_NOT_READY, JOB_ALREADY_ENDED: the job's state") String jobStatus,
        @JsonProperty("job_id") @Schema(description = "IDEMPOTENCY_KEY_REUSED: the job the key created") String jobId,
        @JsonProperty("max_timeout_seconds") @Schema(description = "REQUEST_INVALID for a timeout: the tenant's maximum") Long maxTimeoutSeconds,
        @Schema(description = "RESULT_NOT_READY for a job that ended without a result: its error") JobErrorDocument error) {

    @Schema(name = "JobError")
    public record JobErrorDocument(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String code,
                                   @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String message) {
    }
}
