package dev.spectra.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.spectra.common.job.Job;

/** One state of a job in its event stream ({@code GET /v1/queries/{id}/events}): {@code event: state}, {@code id:} its version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"job_id", "status", "at", "version", "row_count", "error_code"})
public record JobStateDocument(
        @JsonProperty("job_id") String jobId,
        @JsonProperty("status") String status,
        @JsonProperty("at") String at,
        @JsonProperty("version") long version,
        @JsonProperty("row_count") Long rowCount,
        @JsonProperty("error_code") String errorCode) {

    static JobStateDocument of(Job job, JobWaiter.JobState state) {
        return new JobStateDocument(job.jobId().value(), state.status().name(), state.at().toString(), state.version(),
                state.rowCount(), state.errorCode());
    }
}
