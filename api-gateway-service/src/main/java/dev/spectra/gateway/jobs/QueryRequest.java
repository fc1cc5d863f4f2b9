package dev.spectra.gateway.jobs;

import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.statement.JobOptions;

import static java.util.Objects.requireNonNull;

/**
 * The body of {@code POST /v1/queries}: {@code {"sql": "..."}} and, optionally, how the result is delivered
 * ({@code disposition}, {@code format}, {@code compression}, {@code row_limit}, {@code byte_limit}), and what else
 * the client says of the statement ({@code name}, {@code tags}, {@code timeout_seconds}, {@code parameters}).
 *
 * @param options as the client sent them: the timeout is not yet capped by the tenant's maximum
 */
public record QueryRequest(String sql, DeliveryOptions delivery, JobOptions options) {

    public QueryRequest {
        requireNonNull(sql, "sql is null");
        requireNonNull(delivery, "delivery is null");
        requireNonNull(options, "options is null");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql is blank");
        }
    }

    /** A query whose result is delivered as the defaults say. */
    public QueryRequest(String sql) {
        this(sql, DeliveryOptions.DEFAULT, JobOptions.NONE);
    }
}
