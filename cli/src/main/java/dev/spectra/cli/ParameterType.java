package dev.spectra.cli;

/** The types a {@code :marker} can be bound as; the gateway checks the value against the type. */
enum ParameterType {
    STRING, INT, BIGINT, DECIMAL, DOUBLE, BOOLEAN, DATE, TIMESTAMP;

    /** The type an upper-case name spells, or {@code null}: a suffix like {@code :30} is part of the value. */
    static ParameterType named(String name) {
        for (ParameterType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
