package dev.spectra.gateway.problem;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.spectra.common.error.ErrorCode.IDEMPOTENCY_KEY_REUSED;
import static dev.spectra.common.error.ErrorCode.INTERNAL_ERROR;
import static dev.spectra.common.error.ErrorCode.JOB_ALREADY_ENDED;
import static dev.spectra.common.error.ErrorCode.JOB_NOT_FOUND;
import static dev.spectra.common.error.ErrorCode.PAGE_TOKEN_INVALID;
import static dev.spectra.common.error.ErrorCode.PARAMETER_INVALID;
import static dev.spectra.common.error.ErrorCode.RATE_LIMITED;
import static dev.spectra.common.error.ErrorCode.REQUEST_INVALID;
import static dev.spectra.common.error.ErrorCode.RESULT_EXPIRED;
import static dev.spectra.common.error.ErrorCode.RESULT_NOT_READY;
import static dev.spectra.common.error.ErrorCode.STORAGE_UNAVAILABLE;
import static dev.spectra.common.error.ErrorCode.TENANT_MISMATCH;
import static dev.spectra.common.error.ErrorCode.TENANT_NOT_ACTIVE;
import static dev.spectra.common.error.ErrorCode.UNAUTHENTICATED;

/** Every problem the gateway answers, in one place, so that codes, statuses and wording stay consistent. */
public final class Problems {

    /** Seconds a client should wait before retrying after a storage or queue outage. */
    static final long STORAGE_RETRY_AFTER_SECONDS = 1;

    private Problems() {}

    public static Problem unauthenticated(String detail, String wwwAuthenticate) {
        return new Problem(HttpStatus.UNAUTHORIZED, UNAUTHENTICATED, detail)
                .withHeader(HttpHeaders.WWW_AUTHENTICATE, wwwAuthenticate);
    }

    public static Problem tenantMismatch() {
        return new Problem(HttpStatus.FORBIDDEN, TENANT_MISMATCH,
                "The X-Tenant-ID header must be present and name the tenant of the bearer token.");
    }

    /** The same answer for an unknown and an inactive tenant, so that a caller cannot probe the registry. */
    public static Problem tenantNotActive() {
        return new Problem(HttpStatus.FORBIDDEN, TENANT_NOT_ACTIVE, "The tenant is not active.");
    }

    public static Problem requestInvalid(String detail) {
        return requestInvalid(HttpStatus.BAD_REQUEST, detail);
    }

    public static Problem requestInvalid(HttpStatus status, String detail) {
        return new Problem(status, REQUEST_INVALID, detail);
    }

    /** A parameter is missing, unused, of the wrong type or malformed. */
    public static Problem parameterInvalid(String detail) {
        return new Problem(HttpStatus.BAD_REQUEST, PARAMETER_INVALID, detail);
    }

    /** The page token was altered, belongs to another tenant, or was sent with other filters than its page's. */
    public static Problem pageTokenInvalid() {
        return new Problem(HttpStatus.BAD_REQUEST, PAGE_TOKEN_INVALID,
                "The page_token is not one this API issued for this listing; send the same filters as the first page, "
                        + "or start again without a page_token.");
    }

    /** An idempotency key sent again with a different request. */
    public static Problem idempotencyKeyReused(JobId original) {
        return new Problem(HttpStatus.UNPROCESSABLE_CONTENT, IDEMPOTENCY_KEY_REUSED,
                "This Idempotency-Key was used with a different request; use a new key for a new query.")
                .withExtension("job_id", original.value());
    }

    /** Cancelling a job that already ended: nothing to stop. */
    public static Problem jobAlreadyEnded(Job job) {
        return new Problem(HttpStatus.CONFLICT, JOB_ALREADY_ENDED, "The job already ended " + job.status() + "; there is nothing to cancel.")
                .withExtension("job_status", job.status().name());
    }

    /** The same answer for a malformed, an unknown and another tenant's job id. */
    public static Problem jobNotFound() {
        return new Problem(HttpStatus.NOT_FOUND, JOB_NOT_FOUND, "No such job.");
    }

    public static Problem resultNotReady(Job job) {
        String detail = job.status().isTerminal()
                ? "The job ended " + job.status() + " and has no result."
                : "The job is " + job.status() + "; its result is available once it has SUCCEEDED.";
        Problem problem = new Problem(HttpStatus.CONFLICT, RESULT_NOT_READY, detail)
                .withExtension("job_status", job.status().name());
        if (job.error() != null) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", job.error().code());
            error.put("message", job.error().message());
            problem = problem.withExtension("error", error);
        }
        return problem;
    }

    /**
     * The job is past its retention (the job table deletes it only eventually), or the results bucket no longer
     * holds its files: nothing of the result is served, and no link is signed.
     */
    public static Problem resultExpired() {
        return new Problem(HttpStatus.GONE, RESULT_EXPIRED,
                "The job's result is past its retention and is no longer served; run the query again.");
    }

    /** The index names no chunk of the result (not a number, negative, or past the last one). */
    public static Problem chunkNotFound(int chunkCount) {
        String detail = chunkCount == 0 ? "No such chunk; this result has no chunks."
                : "No such chunk; this result's chunks are numbered 0 to " + (chunkCount - 1) + ".";
        return requestInvalid(HttpStatus.NOT_FOUND, detail);
    }

    /**
     * The stored result is not in a form the gateway serves (an oversize or malformed manifest, an object outside
     * the job's folder). Not worth retrying at once; the details are in the gateway's log.
     */
    public static Problem resultUnreadable() {
        return new Problem(HttpStatus.SERVICE_UNAVAILABLE, STORAGE_UNAVAILABLE,
                "The job's stored result cannot be served; the incident has been logged.");
    }

    /** The tenant has as many waits and event streams open as it may. */
    public static Problem tooManyWatches(int limit) {
        return new Problem(HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED,
                "This tenant has " + limit + " waits or event streams open; close one, or retry after 1 s.")
                .withHeader(HttpHeaders.RETRY_AFTER, "1");
    }

    public static Problem rateLimited(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new Problem(HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED,
                "Too many query submissions for this tenant; retry after " + seconds + " s.")
                .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    }

    /** The tenant's own queue of SQL texts waiting for the guard is full: its other texts are still being checked. */
    public static Problem sqlGuardBusy() {
        return new Problem(HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED,
                "Too many of this tenant's queries are waiting for the SQL check; retry after 1 s.")
                .withHeader(HttpHeaders.RETRY_AFTER, "1");
    }

    public static Problem storageUnavailable() {
        return new Problem(HttpStatus.SERVICE_UNAVAILABLE, STORAGE_UNAVAILABLE,
                "A backing store is unavailable; the request was not carried out. Retry later.")
                .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(STORAGE_RETRY_AFTER_SECONDS));
    }

    /**
     * The job was recorded but could not be queued, and has been marked FAILED. Answered with the
     * retryable STORAGE_UNAVAILABLE (the queue is the job's other store) so that clients retry; the
     * job id lets them see what became of the attempt.
     */
    public static Problem enqueueFailed(JobId jobId) {
        return new Problem(HttpStatus.SERVICE_UNAVAILABLE, STORAGE_UNAVAILABLE,
                "The query was recorded but could not be queued for execution; it will not run. Retry later.")
                .withExtension("job_id", jobId.value())
                .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(STORAGE_RETRY_AFTER_SECONDS));
    }

    public static Problem internalError() {
        return new Problem(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR, "An unexpected error occurred.");
    }
}
