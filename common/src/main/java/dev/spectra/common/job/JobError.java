package dev.spectra.common.job;

import dev.spectra.common.error.ErrorCode;

import static java.util.Objects.requireNonNull;

/** A failure stored on a job as data: a stable code, a message for the caller, and whether a retry may help. */
public record JobError(String code, String message, boolean retryable) {

    public JobError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }

    public static JobError of(ErrorCode code, String message) {
        return new JobError(code.name(), message, code.retryable());
    }
}
