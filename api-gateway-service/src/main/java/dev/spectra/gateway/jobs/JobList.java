package dev.spectra.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The answer to {@code GET /v1/queries}: a page of the tenant's jobs, newest first, and the token of the next page,
 * absent on the last. A page may hold fewer jobs than asked for and still have a token: follow it until it is absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"jobs", "next_page_token"})
public record JobList(
        @JsonProperty("jobs") List<JobStatusDocument> jobs,
        @JsonProperty("next_page_token") String nextPageToken) {

    static JobList of(JobListing.Listed listed) {
        return new JobList(listed.jobs().stream().map(JobStatusDocument::of).toList(), listed.nextPageToken());
    }
}
