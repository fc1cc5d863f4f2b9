package dev.spectra.gateway.jobs;

import dev.spectra.common.result.DeliveryOptions;

import static java.util.Objects.requireNonNull;

/**
 * The body of {@code POST /v1/queries}: {@code {"sql": "..."}} and, optionally, how the result is delivered
 * ({@code disposition}, {@code format}, {@code compression}, {@code row_limit}, {@code byte_limit}).
 */
public record QueryRequest(String sql, DeliveryOptions delivery) {

    public QueryRequest {
        requireNonNull(sql, "sql is null");
        requireNonNull(delivery, "delivery is null");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql is blank");
        }
    }

    /** A query whose result is delivered as the defaults say. */
    public QueryRequest(String sql) {
        this(sql, DeliveryOptions.DEFAULT);
    }
}
