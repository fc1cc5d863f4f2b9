package dev.spectra.cli;

import tools.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * A job as the gateway answers it; only what the client acts on.
 *
 * @param rowCount the result's rows once known, or {@code null}
 * @param error    why it ended without a result, or {@code null}
 */
record Job(String jobId, JobStatus status, Long rowCount, Error error) {

    /** The {@code error} member: a stable code and the warehouse's or the service's message. */
    record Error(String code, String message) {
        Error {
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
        }

        @Override
        public String toString() {
            return code + ": " + message;
        }
    }

    Job {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(status, "status is null");
    }

    static Job from(JsonNode document) {
        if (!document.path("job_id").isString() || !document.path("status").isString()) {
            throw new IllegalStateException("the gateway answered a job without job_id or status");
        }
        JobStatus status;
        try {
            status = JobStatus.valueOf(document.get("status").stringValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the gateway answered an unknown job status " + document.get("status"));
        }
        JsonNode rowCount = document.path("row_count");
        JsonNode error = document.path("error");
        return new Job(document.get("job_id").stringValue(), status,
                rowCount.isIntegralNumber() ? rowCount.longValue() : null,
                error.isObject() ? new Error(error.path("code").asString("UNKNOWN"), error.path("message").asString("")) : null);
    }
}
