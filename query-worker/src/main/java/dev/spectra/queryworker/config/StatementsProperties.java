package dev.spectra.queryworker.config;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Running and tracking statements.
 *
 * @param pollInterval       how often one shared poller asks the Data API about every statement in flight
 * @param timeout            a statement still running this long after the warehouse accepted it is cancelled
 *                           and its job ends TIMED_OUT
 * @param maxExecuteAttempts attempts at ExecuteStatement while the warehouse reports itself overloaded or
 *                           unavailable; after the last one the job FAILS with WAREHOUSE_UNAVAILABLE
 * @param retryBackoff       wait before the first retry; doubled for each further one
 * @param maxRetryBackoff    the longest wait between retries (also for the job table, which is retried until
 *                           it answers)
 * @param callThreads        threads making AWS calls (Data API and job table); calls are short, no thread
 *                           ever waits for a running statement
 */
@Validated
@ConfigurationProperties("spectra.statements")
public record StatementsProperties(
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("15m") Duration timeout,
        @Min(1) @DefaultValue("3") int maxExecuteAttempts,
        @DefaultValue("1s") Duration retryBackoff,
        @DefaultValue("30s") Duration maxRetryBackoff,
        @Min(1) @DefaultValue("8") int callThreads) {

    public StatementsProperties {
        requirePositive(requireNonNull(pollInterval, "pollInterval is null"), "poll-interval");
        requirePositive(requireNonNull(timeout, "timeout is null"), "timeout");
        requirePositive(requireNonNull(retryBackoff, "retryBackoff is null"), "retry-backoff");
        requireNonNull(maxRetryBackoff, "maxRetryBackoff is null");
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("spectra.statements.max-retry-backoff must not be less than retry-backoff");
        }
    }

    /** The wait before retry number {@code retry} (1 for the first retry): doubling, capped. */
    public Duration backoffBefore(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be positive: " + retry);
        }
        Duration backoff = retryBackoff;
        for (int i = 1; i < retry && backoff.compareTo(maxRetryBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : backoff;
    }

    private static void requirePositive(Duration value, String name) {
        if (!value.isPositive()) {
            throw new IllegalArgumentException("spectra.statements." + name + " must be positive: " + value);
        }
    }
}
