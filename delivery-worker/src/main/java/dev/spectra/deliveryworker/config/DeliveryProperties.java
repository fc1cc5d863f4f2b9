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
 * @param itemMaxBytes       a result whose whole document (columns, rows) is at most this size is stored on the job
 *                           item itself, sparing the results bucket a round trip for small answers; at most
 *                           {@link #ITEM_CEILING}, since the item (400KB in DynamoDB) also holds the job's SQL
 * @param inlineMaxBytes     the largest result served inline (in the API's answers, chunk by chunk): INLINE refuses
 *                           a larger one with RESULT_TOO_LARGE, AUTO switches to links beyond it
 * @param inlineChunkBytes   inline chunks are cut at about this size (one answer of the API each)
 * @param fileMaxBytes       exported chunk files are cut at about this size, uncompressed
 * @param maxResultBytes     the largest result a tenant may have delivered, encoded and uncompressed, unless its
 *                           registry entry says otherwise ({@code max_result_bytes}); beyond it the job fails with
 *                           RESULT_TOO_LARGE, or is cut when the client asked for a byte limit
 * @param leaseDuration      how long a delivery worker holds a job without renewing; it renews every third of it
 *                           while it writes. A worker that dies mid-delivery leaves the job to a query worker's sweeper
 *                           once the lease lapsed, which announces it again
 * @param maxInFlight        deliveries this worker runs at once, each on a virtual thread; the consumer waits for a
 *                           free place beyond it (what bounds the heap: a delivery holds a result page and, while
 *                           uploading, a part buffer)
 * @param maxPerTenant       of those, at most this many for one tenant: a tenant's large exports never take every
 *                           place, so another tenant's small delivery finds one
 * @param maxUploads         chunk uploads at once (each buffers up to {@link #PARTS_BUFFERED} parts); taken per chunk, not per export
 * @param uploadPartSize     the multipart upload's part size (S3 allows 5MB to 5GB)
 * @param retry              how often a throttled or unreachable dependency is tried before the job fails
 */
@ConfigurationProperties("spectra.delivery")
@Validated
public record DeliveryProperties(
        @DefaultValue("64KB") @NotNull DataSize itemMaxBytes,
        @DefaultValue("25MB") @NotNull DataSize inlineMaxBytes,
        @DefaultValue("1MB") @NotNull DataSize inlineChunkBytes,
        @DefaultValue("128MB") @NotNull DataSize fileMaxBytes,
        @DefaultValue("10GB") @NotNull DataSize maxResultBytes,
        @DefaultValue("30s") @NotNull Duration leaseDuration,
        @DefaultValue("16") @Min(1) @Max(1024) int maxInFlight,
        @DefaultValue("2") @Min(1) @Max(1024) int maxPerTenant,
        @DefaultValue("4") @Min(1) @Max(1024) int maxUploads,
        @DefaultValue("5MB") @NotNull DataSize uploadPartSize,
        @DefaultValue @NotNull @Valid Retry retry) {

    /** Leaves 50KB of the 400KB DynamoDB item for the job's other attributes (SQL, ids, timestamps). */
    public static final DataSize ITEM_CEILING = DataSize.ofKilobytes(350);
    /**
     * Parts an upload buffers (the multipart client's {@code apiCallBufferSizeInBytes}, its own default). An upload of
     * unknown length holds its first part while it fills the second; with room for exactly two, an upload of three or
     * more parts stalled for good before its first request (aws-sdk-java-v2 #7024).
     */
    public static final int PARTS_BUFFERED = 4;
    /** S3's smallest part but the last. */
    public static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);

    public DeliveryProperties {
        requireNonNull(itemMaxBytes, "itemMaxBytes is null");
        requireNonNull(inlineMaxBytes, "inlineMaxBytes is null");
        requireNonNull(inlineChunkBytes, "inlineChunkBytes is null");
        requireNonNull(fileMaxBytes, "fileMaxBytes is null");
        requireNonNull(maxResultBytes, "maxResultBytes is null");
        requireNonNull(leaseDuration, "leaseDuration is null");
        requireNonNull(uploadPartSize, "uploadPartSize is null");
        requireNonNull(retry, "retry is null");
        if (itemMaxBytes.toBytes() < 0 || itemMaxBytes.compareTo(ITEM_CEILING) > 0) {
            throw new IllegalArgumentException("spectra.delivery.item-max-bytes must be between 0B and %dKB, was %dB"
                    .formatted(ITEM_CEILING.toKilobytes(), itemMaxBytes.toBytes()));
        }
        if (inlineChunkBytes.toBytes() <= 0 || inlineChunkBytes.compareTo(inlineMaxBytes) > 0) {
            throw new IllegalArgumentException("spectra.delivery.inline-chunk-bytes must be positive and at most inline-max-bytes");
        }
        if (fileMaxBytes.toBytes() <= 0 || maxResultBytes.toBytes() <= 0) {
            throw new IllegalArgumentException("spectra.delivery.file-max-bytes and max-result-bytes must be positive");
        }
        if (leaseDuration.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("spectra.delivery.lease-duration must be at least 3s, was " + leaseDuration);
        }
        if (maxPerTenant > maxInFlight) {
            throw new IllegalArgumentException("spectra.delivery.max-per-tenant (%d) must be at most max-in-flight (%d)"
                    .formatted(maxPerTenant, maxInFlight));
        }
        if (uploadPartSize.compareTo(MIN_PART_SIZE) < 0) {
            throw new IllegalArgumentException("spectra.delivery.upload-part-size must be at least 5MB, S3's smallest part");
        }
    }

    /** How often a delivery renews its lease: a third of it, so that two renewals may fail before it lapses. */
    public Duration renewEvery() {
        return leaseDuration.dividedBy(3);
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
