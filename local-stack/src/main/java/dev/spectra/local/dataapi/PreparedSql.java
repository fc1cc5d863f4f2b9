package dev.spectra.local.dataapi;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A statement's SQL made ready for JDBC.
 *
 * @param jdbcSql          the text to send: {@code :name} placeholders turned into {@code ?} when binding
 * @param values           the value for each {@code ?}, in order
 * @param bindsParameters  whether to send it as a prepared statement with {@link #values}
 */
record PreparedSql(String jdbcSql, List<String> values, boolean bindsParameters) {

    PreparedSql {
        requireNonNull(jdbcSql, "jdbcSql is null");
        values = List.copyOf(values);
    }

    /** Bound values may be tenant data; they never reach logs. */
    @Override
    public String toString() {
        return "PreparedSql[jdbcSql=" + jdbcSql + ", values=" + values.size()
                + ", bindsParameters=" + bindsParameters + "]";
    }
}
