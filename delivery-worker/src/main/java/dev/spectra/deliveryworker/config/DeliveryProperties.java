package dev.spectra.deliveryworker.config;

import dev.spectra.common.retry.Backoff;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How results are delivered.
 *
 * @param inlineMaxBytes the largest result document stored inline on the job; a larger result fails
 *                       the job with RESULT_TOO_LARGE. The document shares a DynamoDB item (400KB cap)
 *                       with the rest of the job, hence the {@link #INLINE_CEILING}
 * @param retry          how often a throttled or unreachable dependency is tried before the job fails
 */
@ConfigurationProperties("spectra.delivery")
@Validated
public record DeliveryProperties(
        @DefaultValue("256KB") @NotNull DataSize inlineMaxBytes,
        @DefaultValue @NotNull @Valid Retry retry) {

    /** Leaves 50KB of the 400KB DynamoDB item for the job's other attributes (SQL, ids, timestamps). */
    public static final DataSize INLINE_CEILING = DataSize.ofKilobytes(350);

    public DeliveryProperties {
        requireNonNull(inlineMaxBytes, "inlineMaxBytes is null");
        requireNonNull(retry, "retry is null");
        if (inlineMaxBytes.toBytes() <= 0 || inlineMaxBytes.compareTo(INLINE_CEILING) > 0) {
            throw new IllegalArgumentException("spectra.delivery.inline-max-bytes must be between 1B and %dKB, was %dB"
                    .formatted(INLINE_CEILING.toKilobytes(), inlineMaxBytes.toBytes()));
        }
    }

    /**
     * Exponential backoff, doubling from {@code initialBackoff} up to {@code maxBackoff}, of which up to
     * {@code jitter} is taken away at random (see {@link Backoff}). Used for every Data API and DynamoDB
     * call, and for redelivering a message whose job could not be read or written.
     *
     * @param maxAttempts attempts in total, the first one included
     * @param jitter      the fraction of each pause taken away at random, 0 to 1; 0.5 keeps at least half of it
     */
    public record Retry(
            @DefaultValue("4") @Min(1) @Max(10) int maxAttempts,
            @DefaultValue("200ms") @NotNull Duration initialBackoff,
            @DefaultValue("5s") @NotNull Duration maxBackoff,
            @DefaultValue("0.5") @DecimalMin("0") @DecimalMax("1") double jitter) {

        public Retry {
            requireNonNull(initialBackoff, "initialBackoff is null");
            requireNonNull(maxBackoff, "maxBackoff is null");
            if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("retry backoff must satisfy 0 <= initial-backoff <= max-backoff, was %s and %s"
                        .formatted(initialBackoff, maxBackoff));
            }
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("spectra.delivery.retry.jitter must be between 0 and 1, was " + jitter);
            }
        }

        public Backoff backoff() {
            return Backoff.exponential(initialBackoff, maxBackoff).withJitter(jitter);
        }
    }
}
