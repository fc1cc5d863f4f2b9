package dev.spectra.queryworker.config;

import dev.spectra.common.retry.Backoff;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Running and tracking statements.
 *
 * @param pollInterval    the longest wait between two DescribeStatement calls for one statement, default 2s.
 *                        A statement is asked about after 10 ms, then at a twentieth of its age, up to this
 * @param timeout         a job's own time, from its submission, default 15m: a job still waiting or running
 *                        then ends TIMED_OUT (its statement cancelled); throttling and outages are retried until then
 * @param retryBackoff    wait before the first retry; doubled for each further one
 * @param maxRetryBackoff the longest wait between retries
 * @param sendTimeout     how long one Kafka send may take before it counts as failed and is retried, default 10s
 */
@Validated
@ConfigurationProperties("spectra.statements")
public record StatementsProperties(
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("15m") Duration timeout,
        @DefaultValue("1s") Duration retryBackoff,
        @DefaultValue("30s") Duration maxRetryBackoff,
        @DefaultValue("10s") Duration sendTimeout) {

    public StatementsProperties {
        requirePositive(requireNonNull(pollInterval, "pollInterval is null"), "poll-interval");
        requirePositive(requireNonNull(timeout, "timeout is null"), "timeout");
        requirePositive(requireNonNull(retryBackoff, "retryBackoff is null"), "retry-backoff");
        requirePositive(requireNonNull(sendTimeout, "sendTimeout is null"), "send-timeout");
        requireNonNull(maxRetryBackoff, "maxRetryBackoff is null");
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("spectra.statements.max-retry-backoff must not be less than retry-backoff");
        }
    }

    /** Capped exponential backoff between retries, with equal jitter so that a fleet does not retry in step. */
    public Backoff backoff() {
        return Backoff.exponential(retryBackoff, maxRetryBackoff).withJitter(0.5);
    }

    private static void requirePositive(Duration value, String name) {
        if (!value.isPositive()) {
            throw new IllegalArgumentException("spectra.statements." + name + " must be positive: " + value);
        }
    }
}
