package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.JobError;

import static java.util.Objects.requireNonNull;

/**
 * Why a delivery could not complete, as the caller will read it on the job.
 *
 * @param message for the tenant: says what happened, never carries a stack trace or SQL values
 */
public record Failure(ErrorCode code, String message) {

    public Failure {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }

    /** Whether trying the same call again may succeed; the error code decides. */
    public boolean retryable() {
        return code.retryable();
    }

    public JobError toJobError() {
        return JobError.of(code, message);
    }
}
