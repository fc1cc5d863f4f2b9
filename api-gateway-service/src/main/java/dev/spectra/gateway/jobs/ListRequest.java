package dev.spectra.gateway.jobs;

import dev.spectra.common.job.JobFilter;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.statement.JobOptions;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import org.springframework.util.MultiValueMap;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The query string of {@code GET /v1/queries}, read strictly: {@code status} (repeated or comma-separated),
 * {@code submitted_after} (an ISO-8601 instant), {@code name}, {@code tag} ({@code key:value}, repeated: all must
 * match), {@code limit} and {@code page_token}. An unknown or repeated single-valued parameter is a 400, so a typo
 * never silently lists everything.
 */
public record ListRequest(JobFilter filter, int limit, String pageToken) {

    private static final Set<String> PARAMETERS = Set.of("status", "submitted_after", "name", "tag", "limit", "page_token");

    public ListRequest {
        requireNonNull(filter, "filter is null");
    }

    static ListRequest read(MultiValueMap<String, String> query, QueriesProperties properties) {
        for (String parameter : query.keySet()) {
            if (!PARAMETERS.contains(parameter)) {
                throw invalid("Unknown query parameter '" + abbreviate(parameter) + "'; the parameters are "
                        + PARAMETERS.stream().sorted().collect(Collectors.joining(", ")) + ".");
            }
        }
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (String value : query.getOrDefault("status", List.of())) {
            for (String status : value.split(",", -1)) {
                statuses.add(Arrays.stream(JobStatus.values()).filter(candidate -> candidate.name().equals(status.strip()))
                        .findFirst()
                        .orElseThrow(() -> invalid("Query parameter 'status' must be one or more of "
                                + Arrays.stream(JobStatus.values()).map(Enum::name).collect(Collectors.joining(", ")) + ".")));
            }
        }
        Instant submittedAfter = single(query, "submitted_after") == null ? null : instant(single(query, "submitted_after"));
        String name = single(query, "name");
        if (name != null && (name.isBlank() || name.length() > JobOptions.MAX_NAME_LENGTH)) {
            throw invalid("Query parameter 'name' must be 1 to " + JobOptions.MAX_NAME_LENGTH + " characters.");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : query.getOrDefault("tag", List.of())) {
            int colon = tag.indexOf(':');
            if (colon < 1 || !JobOptions.TAG_KEY.matcher(tag.substring(0, colon)).matches()) {
                throw invalid("Query parameter 'tag' must be key:value, with a key of 1 to 64 letters, digits or _.:/=+@-.");
            }
            tags.put(tag.substring(0, colon), tag.substring(colon + 1));
        }
        if (tags.size() > JobOptions.MAX_TAGS) {
            throw invalid("At most " + JobOptions.MAX_TAGS + " 'tag' filters.");
        }
        String limitText = single(query, "limit");
        int limit = properties.defaultListLimit();
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1 || limit > properties.maxListLimit()) {
                throw invalid("Query parameter 'limit' must be an integer from 1 to " + properties.maxListLimit() + ".");
            }
        }
        return new ListRequest(new JobFilter(statuses, submittedAfter, name, tags), limit, single(query, "page_token"));
    }

    private static String single(MultiValueMap<String, String> query, String parameter) {
        List<String> values = query.get(parameter);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw invalid("Query parameter '" + parameter + "' is given more than once.");
        }
        return values.getFirst();
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid("Query parameter 'submitted_after' must be an ISO-8601 instant, such as 2026-12-01T00:00:00Z.");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problems.requestInvalid(detail));
    }
}
