package dev.spectra.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.spectra.common.job.Job;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The answer to {@code GET /v1/queries/{job_id}}. Members without a value are left out; timestamps
 * are ISO-8601 instants. Neither the SQL nor the database user is shown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"job_id", "status", "name", "tags", "submitted_at", "updated_at", "timeout_seconds", "row_count", "error",
        "result"})
public record JobStatusDocument(
        @JsonProperty("job_id") String jobId,
        @JsonProperty("status") String status,
        @JsonProperty("name") String name,
        @JsonProperty("tags") Map<String, String> tags,
        @JsonProperty("timeout_seconds") Long timeoutSeconds,
        @JsonProperty("submitted_at") String submittedAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("row_count") Long rowCount,
        @JsonProperty("error") Error error,
        @JsonProperty("result") @io.swagger.v3.oas.annotations.media.Schema(implementation = dev.spectra.gateway.docs.ResultDocument.Manifest.class,
                description = "After a wait that ended SUCCEEDED with a one-chunk result: the result's manifest, rows included")
        JsonNode result) {

    @JsonPropertyOrder({"code", "message"})
    public record Error(@JsonProperty("code") String code, @JsonProperty("message") String message) {
    }

    public static JobStatusDocument of(Job job) {
        return new JobStatusDocument(
                job.jobId().value(),
                job.status().name(),
                job.options().name(),
                job.options().tags().isEmpty() ? null : job.options().sortedTags(),
                job.options().timeout() == null ? null : job.options().timeout().toSeconds(),
                job.submittedAt().toString(),
                job.updatedAt().toString(),
                job.rowCount(),
                job.error() == null ? null : new Error(job.error().code(), job.error().message()),
                null);
    }

    /** The same with the result's manifest: a wait that ended SUCCEEDED answers with the result in one round trip. */
    public JobStatusDocument withResult(JsonNode manifest) {
        return new JobStatusDocument(jobId, status, name, tags, timeoutSeconds, submittedAt, updatedAt, rowCount, error, manifest);
    }
}
