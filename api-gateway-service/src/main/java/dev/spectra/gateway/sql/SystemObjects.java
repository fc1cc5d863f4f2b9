package dev.spectra.gateway.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Names of warehouse objects a tenant query may not touch. Matching is on unquoted, lower-cased
 * names: Redshift folds quoted identifiers to lower case by default, so {@code "PG_CLASS"} is
 * {@code pg_class} there.
 *
 * <p>Relations: the PostgreSQL catalogs ({@code pg_*}, schemas {@code pg_catalog},
 * {@code information_schema} and every {@code pg_*} schema) and Redshift's system tables and views
 * ({@code stl_*}, {@code stv_*}, {@code svl_*}, {@code svv_*}, {@code svcs_*}, {@code stcs_*},
 * {@code sys_*}). They describe other tenants' users, queries and sessions.
 *
 * <p>Functions, decided one by one:
 * <ul>
 *   <li>{@code pg_*}: server administration and introspection ({@code pg_read_file}, {@code pg_ls_dir},
 *       {@code pg_terminate_backend}, {@code pg_cancel_backend}, advisory locks). Includes
 *       {@code pg_sleep}: it returns no data and holds a warehouse slot and a pooled session for as
 *       long as asked, which makes it a cheap way to starve other queries; the statement timeout would
 *       end it, but only after the damage. The price is refusing harmless ones like {@code pg_typeof}.</li>
 *   <li>{@code current_setting}, {@code set_config}: read and change session settings, which the
 *       warehouse session pool shares between a tenant's statements.</li>
 *   <li>{@code dblink*}: reaches other databases with other credentials.</li>
 *   <li>{@code lo_*}: large objects, including server-side file import and export.</li>
 *   <li>{@code query_to_xml} and the other {@code *_to_xml*} functions: they run SQL or read tables
 *       named in a string, out of the guard's sight.</li>
 * </ul>
 * A courtesy, not the wall: whatever slips past still runs as the tenant's own database user under
 * row-level security.
 */
final class SystemObjects {

    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema");
    private static final List<String> SYSTEM_SCHEMA_PREFIXES = List.of("pg_");
    private static final List<String> SYSTEM_RELATION_PREFIXES =
            List.of("pg_", "stl_", "stv_", "svl_", "svv_", "svcs_", "stcs_", "sys_");
    private static final List<String> FORBIDDEN_FUNCTION_PREFIXES = List.of("pg_", "dblink", "lo_");
    private static final Set<String> FORBIDDEN_FUNCTIONS = Set.of(
            "current_setting", "set_config",
            "query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema",
            "table_to_xml", "table_to_xmlschema", "table_to_xml_and_xmlschema",
            "cursor_to_xml", "cursor_to_xmlschema",
            "schema_to_xml", "schema_to_xmlschema", "schema_to_xml_and_xmlschema",
            "database_to_xml", "database_to_xmlschema", "database_to_xml_and_xmlschema");

    private SystemObjects() {}

    static boolean isSystemSchema(String schema) {
        String name = normalize(schema);
        return SYSTEM_SCHEMAS.contains(name) || SYSTEM_SCHEMA_PREFIXES.stream().anyMatch(name::startsWith);
    }

    static boolean isSystemRelation(String relation) {
        String name = normalize(relation);
        return SYSTEM_RELATION_PREFIXES.stream().anyMatch(name::startsWith);
    }

    static boolean isForbiddenFunction(String function) {
        String name = normalize(function);
        return FORBIDDEN_FUNCTIONS.contains(name) || FORBIDDEN_FUNCTION_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** {@code "PG_Class"}, {@code `pg_class`} and {@code [pg_class]} all name {@code pg_class}. */
    static String normalize(String identifier) {
        String name = identifier.strip();
        if (name.length() >= 2 && isQuoted(name.charAt(0), name.charAt(name.length() - 1))) {
            name = name.substring(1, name.length() - 1);
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static boolean isQuoted(char first, char last) {
        return (first == '"' && last == '"') || (first == '`' && last == '`') || (first == '[' && last == ']');
    }
}
