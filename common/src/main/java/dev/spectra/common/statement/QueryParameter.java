package dev.spectra.common.statement;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One named parameter of a statement: {@code :name} in the SQL, its value bound by the Data API, never written
 * into the SQL text.
 *
 * <p>The Data API cannot bind SQL NULL, nor an empty string (a parameter's value is at least one character). For
 * those two values the gateway writes a constant of its own in place of the marker: {@code CAST(NULL AS type)} or
 * {@code CAST('' AS VARCHAR(65535))}. The constant depends only on the type, never on what the client sent, so no
 * client text reaches the SQL; every other value travels as a parameter ({@link #travelsAsParameter()}).
 *
 * @param value the value as it travels ({@link ParameterType#normalise}); null for SQL NULL
 */
public record QueryParameter(String name, ParameterType type, String value) {

    /** The Data API's rule for a parameter's name, which is also how the marker is read in the SQL. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** The largest value a parameter may carry, in characters. */
    public static final int MAX_VALUE_LENGTH = 65_535;
    /** The most parameters one statement may have. */
    public static final int MAX_PARAMETERS = 100;

    public QueryParameter {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid parameter name: " + name);
        }
        if (value != null && value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("parameter " + name + " is longer than " + MAX_VALUE_LENGTH + " characters");
        }
    }

    public QueryParameter withName(String other) {
        return new QueryParameter(other, type, value);
    }

    /** Whether the value travels to the Data API; false for NULL and the empty string, written as constants instead. */
    public boolean travelsAsParameter() {
        return value != null && !value.isEmpty();
    }

    /** What the gateway writes in place of the marker: a cast of the marker, or a constant for NULL and ''. */
    public String sqlInPlaceOfMarker() {
        String sqlType = type.sqlTypeFor(value);
        if (value == null) {
            return "CAST(NULL AS " + sqlType + ")";
        }
        if (value.isEmpty()) {
            return "CAST('' AS " + sqlType + ")";
        }
        return "CAST(:" + name + " AS " + sqlType + ")";
    }

    /** Values may be tenant data; they never reach logs. */
    @Override
    public String toString() {
        return "QueryParameter[name=" + name + ", type=" + type + (value == null ? ", null" : "") + "]";
    }
}
