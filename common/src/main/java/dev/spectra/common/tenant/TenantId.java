package dev.spectra.common.tenant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** A tenant's stable identifier: lower-case letters, digits and dashes, as it appears in tokens. */
public record TenantId(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public TenantId {
        requireNonNull(value, "value is null");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid tenant id: must match " + VALID.pattern());
        }
    }

    @JsonCreator
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
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
