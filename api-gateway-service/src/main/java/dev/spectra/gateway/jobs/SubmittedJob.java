package dev.spectra.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.spectra.common.job.Job;

/** The 202 answer to a submission: {@code {"job_id": "...", "status": "QUEUED"}}. */
@JsonPropertyOrder({"job_id", "status"})
public record SubmittedJob(@JsonProperty("job_id") String jobId, @JsonProperty("status") String status) {

    static SubmittedJob of(Job job) {
        return new SubmittedJob(job.jobId().value(), job.status().name());
    }
}
