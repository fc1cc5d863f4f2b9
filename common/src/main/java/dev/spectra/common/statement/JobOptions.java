package dev.spectra.common.statement;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * What a client said of its statement besides the SQL and how to deliver the result.
 *
 * @param name       the client's label for the statement, echoed and usable as a list filter; null if none
 * @param tags       the client's key/value labels, echoed and usable as list filters; sorted by key
 * @param timeout    the job's own time from its submission, already capped by the tenant's maximum; null for the
 *                   query worker's default (jobs written before jobs carried one)
 * @param parameters the statement's parameters, in the order given
 */
public record JobOptions(String name, Map<String, String> tags, Duration timeout, List<QueryParameter> parameters) {

    public static final JobOptions NONE = new JobOptions(null, Map.of(), null, List.of());

    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_TAGS = 10;
    public static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.:/=+@-]{1,64}");
    public static final int MAX_TAG_VALUE_LENGTH = 256;

    public JobOptions {
        requireNonNull(tags, "tags is null");
        requireNonNull(parameters, "parameters is null");
        if (name != null && (name.isBlank() || name.length() > MAX_NAME_LENGTH)) {
            throw new IllegalArgumentException("name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException("at most " + MAX_TAGS + " tags");
        }
        tags.forEach((key, value) -> {
            if (!TAG_KEY.matcher(key).matches() || value == null || value.length() > MAX_TAG_VALUE_LENGTH) {
                throw new IllegalArgumentException("invalid tag " + key);
            }
        });
        tags = Map.copyOf(tags);
        if (timeout != null && !timeout.isPositive()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        parameters = List.copyOf(parameters);
        if (parameters.size() > QueryParameter.MAX_PARAMETERS) {
            throw new IllegalArgumentException("at most " + QueryParameter.MAX_PARAMETERS + " parameters");
        }
        if (parameters.stream().map(QueryParameter::name).distinct().count() != parameters.size()) {
            throw new IllegalArgumentException("parameter names must be distinct");
        }
    }

    /** The tags in key order, as they are shown. */
    public Map<String, String> sortedTags() {
        return new TreeMap<>(tags);
    }

    /** The parameters whose values travel to the Data API ({@link QueryParameter#travelsAsParameter()}). */
    public List<QueryParameter> boundParameters() {
        return parameters.stream().filter(QueryParameter::travelsAsParameter).toList();
    }
}
