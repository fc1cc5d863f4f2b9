package dev.spectra.cli;

import static java.util.Objects.requireNonNull;

/**
 * One {@code --param name=value[:TYPE]}.
 *
 * @param value the value as text, or {@code null} for SQL NULL
 */
record QueryParameter(String name, String value, ParameterType type) {

    /** How a command line spells SQL NULL; the string 'null' itself cannot be sent this way. */
    static final String NULL = "null";

    QueryParameter {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
    }

    /**
     * Reads {@code name=value}, {@code name=value:TYPE} or {@code name=null:TYPE}. Only a known upper-case type after
     * the last colon is a type, so {@code at=12:30} is the string {@code 12:30}.
     */
    static QueryParameter parse(String argument) {
        int equals = argument.indexOf('=');
        if (equals <= 0) {
            throw new UsageException("--param takes name=value[:TYPE], not '" + argument + "'");
        }
        String name = argument.substring(0, equals);
        String value = argument.substring(equals + 1);
        ParameterType type = ParameterType.STRING;
        int colon = value.lastIndexOf(':');
        if (colon >= 0) {
            ParameterType named = ParameterType.named(value.substring(colon + 1));
            if (named != null) {
                type = named;
                value = value.substring(0, colon);
            }
        }
        return new QueryParameter(name, NULL.equals(value) ? null : value, type);
    }
}
