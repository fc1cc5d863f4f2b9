package dev.spectra.common.aws;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.JobError;

import static java.util.Objects.requireNonNull;

/**
 * What a failed AWS call means, as {@link AwsFailureClassifier} decides it.
 *
 * @param kind    what the caller may do about it
 * @param code    the code a job carries if it ends on this failure
 * @param message safe to store on the job: the service's own words for a service error (without the SDK's
 *                request-id decoration), a fixed phrase for anything else; the exception itself is for logs
 */
public record Verdict(Kind kind, ErrorCode code, String message) {

    public enum Kind {
        /**
         * The service refuses calls at this rate (throttling, too many active statements or sessions).
         * Nothing is broken: retry with backoff until the caller's own deadline.
         */
        THROTTLED,
        /** An outage that may pass (server errors, unreachable endpoint, timeouts): retry with backoff, a bounded number of times. */
        TRANSIENT,
        /**
         * The warm session an ExecuteStatement was sent to is gone or busy. The statement itself may be fine:
         * send it again on a fresh session, not on this one.
         */
        SESSION_REFUSED,
        /** Repeating the call cannot help: end the job with {@link #code()}. */
        FATAL
    }

    public Verdict {
        requireNonNull(kind, "kind is null");
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }

    /** Whether repeating the very same call later may succeed. A refused session is not: the call needs another session. */
    public boolean isRetryable() {
        return kind == Kind.THROTTLED || kind == Kind.TRANSIENT;
    }

    public JobError toJobError() {
        return JobError.of(code, message);
    }
}
