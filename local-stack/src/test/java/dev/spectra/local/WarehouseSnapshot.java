package dev.spectra.local;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The warehouse state a tenant must not be able to change, read as the administrator: roles and their
 * settings, memberships, relations and their ACLs (temporary tables included), schemas, databases,
 * functions outside {@code pg_catalog}, policies, large objects, advisory locks, extensions,
 * {@code ALTER SYSTEM} settings, the seeded rows, and tenant sessions still busy or inside a transaction.
 */
record WarehouseSnapshot(Map<String, List<String>> aspects) {

    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("roles", """
                SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,
                       rolbypassrls, rolconnlimit, rolvaliduntil, md5(coalesce(rolpassword, ''))
                FROM pg_authid ORDER BY rolname""");
        QUERIES.put("role settings", """
                SELECT coalesce(d.datname, '*'), coalesce(r.rolname, '*'), array_to_string(s.setconfig, ',')
                FROM pg_db_role_setting s LEFT JOIN pg_database d ON d.oid = s.setdatabase LEFT JOIN pg_roles r ON r.oid = s.setrole
                ORDER BY 1, 2, 3""");
        QUERIES.put("role memberships", """
                SELECT roleid::regrole::text, member::regrole::text, admin_option FROM pg_auth_members ORDER BY 1, 2""");
        QUERIES.put("relations", """
                SELECT n.nspname, c.relname, c.relkind, c.relowner::regrole::text, coalesce(c.relacl::text, ''),
                       c.relrowsecurity, c.relforcerowsecurity
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT LIKE 'pg\\_toast%' ORDER BY 1, 2""");
        QUERIES.put("schemas", "SELECT nspname, nspowner::regrole::text, coalesce(nspacl::text, '') FROM pg_namespace ORDER BY 1");
        QUERIES.put("databases", "SELECT datname, datconnlimit, coalesce(datacl::text, '') FROM pg_database ORDER BY 1");
        QUERIES.put("functions", """
                SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.proowner::regrole::text, coalesce(p.proacl::text, '')
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3""");
        QUERIES.put("function grants in pg_catalog", """
                SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.proacl::text
                FROM pg_proc p WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proacl IS NOT NULL ORDER BY 1, 2""");
        QUERIES.put("policies", """
                SELECT polname, polrelid::regclass::text, polcmd, polpermissive, polroles::regrole[]::text,
                       coalesce(pg_get_expr(polqual, polrelid), '')
                FROM pg_policy ORDER BY 1""");
        QUERIES.put("extensions", "SELECT extname FROM pg_extension ORDER BY 1");
        QUERIES.put("large objects", "SELECT oid, lomowner::regrole::text FROM pg_largeobject_metadata ORDER BY 1");
        QUERIES.put("advisory locks", "SELECT objid, mode, granted FROM pg_locks WHERE locktype = 'advisory' ORDER BY 1");
        QUERIES.put("prepared transactions", "SELECT gid, owner FROM pg_prepared_xacts ORDER BY 1");
        QUERIES.put("ALTER SYSTEM settings", """
                SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY 1""");
        QUERIES.put("sales rows", "SELECT tenant_id, count(*), sum(amount) FROM sales GROUP BY tenant_id ORDER BY 1");
        QUERIES.put("busy tenant sessions", """
                SELECT usename, state, left(query, 200) FROM pg_stat_activity
                WHERE backend_type = 'client backend' AND usename <> current_user AND state <> 'idle'
                ORDER BY 1, 2, 3""");
    }

    static WarehouseSnapshot take(DataSource administrator) {
        Map<String, List<String>> aspects = new LinkedHashMap<>();
        try (Connection connection = administrator.getConnection(); Statement sql = connection.createStatement()) {
            for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet result = sql.executeQuery(query.getValue())) {
                    ResultSetMetaData columns = result.getMetaData();
                    while (result.next()) {
                        List<String> row = new ArrayList<>();
                        for (int column = 1; column <= columns.getColumnCount(); column++) {
                            row.add(Objects.toString(result.getObject(column)));
                        }
                        rows.add(String.join(" | ", row));
                    }
                }
                aspects.put(query.getKey(), List.copyOf(rows));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not snapshot the warehouse", e);
        }
        return new WarehouseSnapshot(aspects);
    }

    /** One line per row that appeared ({@code +}) or disappeared ({@code -}), under its aspect. */
    List<String> differencesTo(WarehouseSnapshot later) {
        List<String> differences = new ArrayList<>();
        aspects.forEach((aspect, before) -> {
            List<String> after = later.aspects.getOrDefault(aspect, List.of());
            before.stream().filter(row -> !after.contains(row)).forEach(row -> differences.add(aspect + ": - " + row));
            after.stream().filter(row -> !before.contains(row)).forEach(row -> differences.add(aspect + ": + " + row));
        });
        return differences;
    }

    /** The settings stored for one database user, e.g. {@code statement_timeout=30s}. */
    static List<String> roleSettings(DataSource administrator, String databaseUser) {
        List<String> settings = new ArrayList<>();
        try (Connection connection = administrator.getConnection();
             var query = connection.prepareStatement("""
                     SELECT unnest(s.setconfig) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
                     LEFT JOIN pg_database d ON d.oid = s.setdatabase
                     WHERE r.rolname = ? AND (s.setdatabase = 0 OR d.datname = current_database())""")) {
            query.setString(1, databaseUser);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    settings.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the settings of " + databaseUser, e);
        }
        return settings;
    }
}
