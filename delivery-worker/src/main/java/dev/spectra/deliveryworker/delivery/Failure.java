package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.aws.Dependency;
import dev.spectra.common.aws.Verdict;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.JobError;

import static java.util.Objects.requireNonNull;

/**
 * Why a delivery could not complete, as the caller will read it on the job.
 *
 * @param message for the tenant: says what happened, never carries a stack trace or SQL values
 */
public record Failure(ErrorCode code, String message) {

    static final String INTERNAL_ERROR_MESSAGE = "the result could not be delivered because of an internal error";

    public Failure {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }

    /**
     * How the delivery words the shared classifier's verdict on a failed call. The only warehouse call
     * here is GetStatementResult, so a statement failure from the warehouse means the result is gone.
     */
    public static Failure of(Dependency dependency, Verdict verdict) {
        requireNonNull(dependency, "dependency is null");
        requireNonNull(verdict, "verdict is null");
        if (verdict.kind() != Verdict.Kind.FATAL) {
            return new Failure(verdict.code(), dependency.description() + " is unavailable: " + verdict.message());
        }
        if (verdict.code() == ErrorCode.QUERY_FAILED) {
            return new Failure(ErrorCode.QUERY_FAILED, "the statement's result is no longer available in the warehouse "
                    + "(the Data API keeps results for 24 hours): " + verdict.message());
        }
        return new Failure(ErrorCode.INTERNAL_ERROR, INTERNAL_ERROR_MESSAGE);
    }

    /** Whether trying the same call again may succeed; the error code decides. */
    public boolean retryable() {
        return code.retryable();
    }

    public JobError toJobError() {
        return JobError.of(code, message);
    }
}
