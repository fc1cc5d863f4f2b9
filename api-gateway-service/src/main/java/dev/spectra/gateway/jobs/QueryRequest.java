package dev.spectra.gateway.jobs;

import static java.util.Objects.requireNonNull;

/** The body of {@code POST /v1/queries}: {@code {"sql": "..."}} and nothing else. */
public record QueryRequest(String sql) {

    public QueryRequest {
        requireNonNull(sql, "sql is null");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql is blank");
        }
    }
}
