package dev.spectra.gateway.jobs;

import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.statement.JobOptions;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The body of {@code POST /v1/queries}: {@code {"sql": "..."}} and, optionally, how the result is delivered
 * ({@code disposition}, {@code format}, {@code compression}, {@code row_limit}, {@code byte_limit}), and what else
 * the client says of the statement ({@code name}, {@code tags}, {@code timeout_seconds}, {@code parameters}).
 *
 * @param options as the client sent them: the timeout is not yet capped by the tenant's maximum
 */
public record QueryRequest(String sql, DeliveryOptions delivery, JobOptions options, Wait waiting) {

    /** The longest a request may wait for its job, as the Databricks and Snowflake statement APIs allow about. */
    public static final int MAX_WAIT_SECONDS = 50;

    /**
     * How long the submission waits for the job to end before it answers ({@code wait_seconds}), and what happens
     * to a job still running then ({@code on_wait_timeout}): it goes on, or it is cancelled. Not part of the job.
     */
    public record Wait(Duration duration, boolean cancelOnTimeout) {
        public static final Wait NONE = new Wait(Duration.ZERO, false);

        public Wait {
            requireNonNull(duration, "duration is null");
            if (duration.isNegative() || duration.compareTo(Duration.ofSeconds(MAX_WAIT_SECONDS)) > 0) {
                throw new IllegalArgumentException("wait must be 0 to " + MAX_WAIT_SECONDS + " s: " + duration);
            }
        }
    }

    public QueryRequest {
        requireNonNull(sql, "sql is null");
        requireNonNull(delivery, "delivery is null");
        requireNonNull(options, "options is null");
        requireNonNull(waiting, "waiting is null");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql is blank");
        }
    }

    /** A query whose result is delivered as the defaults say. */
    public QueryRequest(String sql) {
        this(sql, DeliveryOptions.DEFAULT, JobOptions.NONE, Wait.NONE);
    }

    /**
     * What makes two requests the same for an idempotency key: everything that shapes the job (the SQL as sent,
     * the delivery, the options), not how long the client waits for it. Length-prefixed, so no two requests share it.
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder();
        field(text, sql);
        field(text, delivery.disposition().name());
        field(text, delivery.format().name());
        field(text, delivery.compression().name());
        field(text, String.valueOf(delivery.rowLimit()));
        field(text, String.valueOf(delivery.byteLimit()));
        field(text, String.valueOf(options.name()));
        options.sortedTags().forEach((key, value) -> {
            field(text, key);
            field(text, value);
        });
        field(text, String.valueOf(options.timeout()));
        for (var parameter : options.parameters()) {
            field(text, parameter.name());
            field(text, parameter.type().name());
            field(text, parameter.value() == null ? "\u0000null" : parameter.value());
        }
        return IdempotencyKey.sha256(text.toString());
    }

    private static void field(StringBuilder text, String value) {
        text.append(value.length()).append(':').append(value).append(';');
    }
}
