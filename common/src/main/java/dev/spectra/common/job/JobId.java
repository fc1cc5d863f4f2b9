package dev.spectra.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A job's identifier: a version 7 UUID (RFC 9562), 48 bits of its creation time in milliseconds and 74 random
 * bits. The random bits mean ids can be neither guessed nor enumerated; the time in front means a tenant's ids
 * sort as its jobs were submitted, so the job table lists a tenant's jobs newest first with a key-ordered query
 * of its partition and no index. The JDK has no generator for version 7 yet; this is the RFC's layout.
 */
public record JobId(String value) {

    public JobId {
        requireNonNull(value, "value is null");
        if (parse(value).isEmpty()) {
            throw new IllegalArgumentException("invalid job id: " + value);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new id for a job created now. */
    public static JobId random() {
        return createdAt(Instant.now());
    }

    /** A new id for a job created at {@code time}, random in everything but its first 48 bits. */
    public static JobId createdAt(Instant time) {
        long randomHigh = RANDOM.nextLong();
        long randomLow = RANDOM.nextLong();
        long most = (time.toEpochMilli() << 16) | 0x7000L | (randomHigh & 0x0FFFL);
        long least = (randomLow & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new JobId(new UUID(most, least).toString());
    }

    /**
     * The smallest id a job created at or after {@code time} can have (in the job table's string order): the
     * lower bound of a "submitted after" query.
     */
    public static String lowestAt(Instant time) {
        return new UUID(time.toEpochMilli() << 16 | 0x7000L, 0x8000_0000_0000_0000L).toString();
    }

    @JsonCreator
    public static JobId of(String value) {
        return new JobId(value);
    }

    /** Empty for anything that is not a canonical lower-case UUID, so callers can answer "not found". */
    public static Optional<JobId> tryParse(String value) {
        return parse(value).map(uuid -> new JobId(uuid.toString()));
    }

    private static Optional<UUID> parse(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID uuid = UUID.fromString(value);
            return uuid.toString().equals(value) ? Optional.of(uuid) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
