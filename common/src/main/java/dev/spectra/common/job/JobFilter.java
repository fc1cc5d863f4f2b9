package dev.spectra.common.job;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Which of a tenant's jobs a listing shows.
 *
 * @param statuses       the states to show; empty for all
 * @param submittedAfter only jobs submitted at or after this time; null for all
 * @param name           only jobs of this name; null for any
 * @param tags           only jobs carrying every one of these tags with these values
 */
public record JobFilter(Set<JobStatus> statuses, Instant submittedAfter, String name, Map<String, String> tags) {

    public static final JobFilter ALL = new JobFilter(Set.of(), null, null, Map.of());

    public JobFilter {
        requireNonNull(statuses, "statuses is null");
        requireNonNull(tags, "tags is null");
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        tags = Map.copyOf(tags);
    }
}
