package dev.spectra.local.dataapi;

import static java.util.Objects.requireNonNull;

/** One named parameter of a statement, as the caller sent it. */
record SqlParameter(String name, String value) {

    SqlParameter {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
    }

    /** Values may be tenant data; they never reach logs. */
    @Override
    public String toString() {
        return "SqlParameter[name=" + name + "]";
    }
}
