package dev.spectra.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** A job's identifier: a random UUID, so that ids can be neither guessed nor enumerated. */
public record JobId(String value) {

    public JobId {
        requireNonNull(value, "value is null");
        if (parse(value).isEmpty()) {
            throw new IllegalArgumentException("invalid job id: " + value);
        }
    }

    public static JobId random() {
        return new JobId(UUID.randomUUID().toString());
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
