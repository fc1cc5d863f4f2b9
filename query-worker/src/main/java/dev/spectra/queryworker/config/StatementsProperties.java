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
 * @param longPollWindow  a statement younger than this is followed with long polling (DescribeStatement with
 *                        {@code WaitTimeSeconds}), so that its end is noticed at once; default 5s, 0 turns it off
 * @param longPollWait    {@code WaitTimeSeconds} of one long poll, whole seconds from 1 to 30, default 1s
 * @param maxLongPolls    long polls this worker holds open at once, each an HTTP connection; a statement that
 *                        finds none free is polled at the adaptive rate instead. Default 64
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
        @DefaultValue("10s") Duration sendTimeout,
        @DefaultValue("5s") Duration longPollWindow,
        @DefaultValue("1s") Duration longPollWait,
        @DefaultValue("64") int maxLongPolls) {

    /** The Data API's bounds on {@code WaitTimeSeconds}. */
    private static final Duration SHORTEST_LONG_POLL = Duration.ofSeconds(1);
    private static final Duration LONGEST_LONG_POLL = Duration.ofSeconds(30);

    public StatementsProperties {
        requirePositive(requireNonNull(pollInterval, "pollInterval is null"), "poll-interval");
        requirePositive(requireNonNull(timeout, "timeout is null"), "timeout");
        requirePositive(requireNonNull(retryBackoff, "retryBackoff is null"), "retry-backoff");
        requirePositive(requireNonNull(sendTimeout, "sendTimeout is null"), "send-timeout");
        requireNonNull(maxRetryBackoff, "maxRetryBackoff is null");
        requireNonNull(longPollWindow, "longPollWindow is null");
        requireNonNull(longPollWait, "longPollWait is null");
        if (longPollWindow.isNegative()) {
            throw new IllegalArgumentException("spectra.statements.long-poll-window must not be negative: " + longPollWindow);
        }
        if (longPollWait.toNanos() % 1_000_000_000L != 0
                || longPollWait.compareTo(SHORTEST_LONG_POLL) < 0 || longPollWait.compareTo(LONGEST_LONG_POLL) > 0) {
            throw new IllegalArgumentException("spectra.statements.long-poll-wait must be whole seconds from 1s to 30s: " + longPollWait);
        }
        if (maxLongPolls < 0) {
            throw new IllegalArgumentException("spectra.statements.max-long-polls must not be negative: " + maxLongPolls);
        }
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
