package dev.spectra.gateway.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Relations a tenant query may not read, by the name PostgreSQL resolves. The PostgreSQL catalogs
 * ({@code pg_*}, schemas {@code pg_catalog}, {@code information_schema} and every {@code pg_*} schema)
 * and Redshift's system tables and views ({@code stl_*}, {@code stv_*}, {@code svl_*}, {@code svv_*},
 * {@code svcs_*}, {@code stcs_*}, {@code sys_*}) describe other tenants' users, grants, sessions, queries
 * and table sizes. Unqualified names resolve through {@code pg_catalog} first, so the prefixes apply to
 * them too.
 */
final class SystemObjects {

    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema");
    private static final List<String> SYSTEM_SCHEMA_PREFIXES = List.of("pg_");
    private static final List<String> SYSTEM_RELATION_PREFIXES =
            List.of("pg_", "stl_", "stv_", "svl_", "svv_", "svcs_", "stcs_", "sys_");

    private SystemObjects() {}

    static boolean isSystemSchema(String schema) {
        return SYSTEM_SCHEMAS.contains(schema) || SYSTEM_SCHEMA_PREFIXES.stream().anyMatch(schema::startsWith);
    }

    static boolean isSystemRelation(String relation) {
        return SYSTEM_RELATION_PREFIXES.stream().anyMatch(relation::startsWith);
    }

    /**
     * One identifier of the canonical text as a name to compare: unquoted ({@code ""} read as {@code "})
     * and in lower case, quoted or not, as Redshift resolves it by default ({@link TokenInspector}).
     */
    static String normalize(String identifier) {
        String name = identifier.strip();
        if (name.length() >= 2 && name.charAt(0) == '"' && name.charAt(name.length() - 1) == '"') {
            name = name.substring(1, name.length() - 1).replace("\"\"", "\"");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** The first word of a type as JSqlParser writes it: {@code "character varying(10)[]"} is {@code character}. */
    static String typeName(String dataType) {
        String name = dataType.strip();
        int end = 0;
        if (name.startsWith("\"")) {
            end = name.indexOf('"', 1) + 1;
            return end > 0 ? normalize(name.substring(0, end)) : name;
        }
        while (end < name.length() && (Character.isLetterOrDigit(name.charAt(end)) || name.charAt(end) == '_' || name.charAt(end) == '$')) {
            end++;
        }
        return normalize(name.substring(0, end));
    }
}
