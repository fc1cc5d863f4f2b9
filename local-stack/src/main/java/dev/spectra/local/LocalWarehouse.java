package dev.spectra.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The warehouse of the local stack: PostgreSQL 17 standing in for Redshift. Each tenant has its own
 * LOGIN role, and row-level security on {@code sales} is bound to those roles, so what a tenant sees
 * is decided by whom the statement runs as, exactly as Redshift RLS policies attached to users do.
 */
public final class LocalWarehouse implements AutoCloseable {

    public static final String DATABASE = "dev";

    private static final Logger log = LoggerFactory.getLogger(LocalWarehouse.class);
    /**
     * Tenant roles must present their password (zonky's default trusts everyone, which would make
     * the per-tenant logins meaningless). The administrator keeps loopback trust for seeding.
     */
    private static final String HOST_BASED_AUTHENTICATION = """
            local all all trust
            host all postgres 127.0.0.1/32 trust
            host all postgres ::1/128 trust
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;
    private static final String[] REGIONS = {"EU", "NA", "APAC", "LATAM"};
    private static final String[] PRODUCTS = {"widget", "gadget", "gizmo", "doohickey"};

    private final EmbeddedPostgres postgres;
    private final Map<String, String> passwordsByDatabaseUser;

    private LocalWarehouse(EmbeddedPostgres postgres, Map<String, String> passwordsByDatabaseUser) {
        this.postgres = postgres;
        this.passwordsByDatabaseUser = Map.copyOf(passwordsByDatabaseUser);
    }

    /**
     * @param dataDirectory  this run's cluster files, removed on close
     * @param binaryCache    where the PostgreSQL binaries are unpacked once and reused across runs
     */
    public static LocalWarehouse start(Path dataDirectory, Path binaryCache, List<DemoTenant> tenants) {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(true)
                    .setOverrideWorkingDirectory(binaryCache.toFile())
                    .setServerConfig("max_connections", "200")
                    .setDataDirectoryCustomizer(directory -> writeHostBasedAuthentication(directory.toPath()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local warehouse (PostgreSQL)", e);
        }
        try {
            Map<String, String> passwords = seed(postgres, tenants);
            log.info("Warehouse ready: PostgreSQL on port {}, database {}, {} tenant users", postgres.getPort(), DATABASE, passwords.size());
            return new LocalWarehouse(postgres, passwords);
        } catch (RuntimeException e) {
            closeQuietly(postgres);
            throw e;
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** Stands in for Redshift's temporary IAM credentials: the Data API emulator logs in with these. */
    public Map<String, String> passwordsByDatabaseUser() {
        return passwordsByDatabaseUser;
    }

    /** Administrator access, for tests that check what was seeded. */
    public DataSource administratorDataSource() {
        return postgres.getDatabase("postgres", DATABASE);
    }

    @Override
    public void close() {
        closeQuietly(postgres);
    }

    private static Map<String, String> seed(EmbeddedPostgres postgres, List<DemoTenant> tenants) {
        try (Connection server = postgres.getPostgresDatabase().getConnection(); Statement sql = server.createStatement()) {
            sql.execute("CREATE DATABASE " + DATABASE);
            // Nobody but the roles granted below may connect to anything.
            for (String database : List.of("postgres", "template1", DATABASE)) {
                sql.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the warehouse database", e);
        }

        Map<String, String> passwords = new LinkedHashMap<>();
        try (Connection warehouse = postgres.getDatabase("postgres", DATABASE).getConnection();
             Statement sql = warehouse.createStatement()) {
            sql.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
            sql.execute("""
                    CREATE TABLE sales (
                        tenant_id  varchar(64)    NOT NULL,
                        order_id   bigint         NOT NULL,
                        region     varchar(16)    NOT NULL,
                        product    varchar(32)    NOT NULL,
                        amount     numeric(12, 2) NOT NULL,
                        ordered_at timestamp      NOT NULL,
                        PRIMARY KEY (tenant_id, order_id))""");
            sql.execute("ALTER TABLE sales ENABLE ROW LEVEL SECURITY");
            // Catalog views that would name other tenants' roles, sessions or policies.
            sql.execute("REVOKE SELECT ON pg_catalog.pg_roles, pg_catalog.pg_user, pg_catalog.pg_stat_activity,"
                    + " pg_catalog.pg_policy, pg_catalog.pg_policies, pg_catalog.pg_auth_members FROM PUBLIC");

            for (DemoTenant tenant : tenants) {
                String user = tenant.databaseUser();
                String password = randomPassword();
                passwords.put(user, password);
                sql.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'");
                sql.execute("GRANT CONNECT ON DATABASE " + DATABASE + " TO " + user);
                sql.execute("GRANT USAGE ON SCHEMA public TO " + user);
                sql.execute("GRANT SELECT ON sales TO " + user);
                sql.execute("CREATE POLICY " + user + "_rows ON sales FOR SELECT TO " + user
                        + " USING (tenant_id = '" + tenant.id().value() + "')");
                sql.execute(salesRows(tenant));
            }
            sql.execute("ANALYZE sales");
        } catch (SQLException e) {
            throw new IllegalStateException("could not seed the warehouse", e);
        }
        return passwords;
    }

    /** Deterministic rows: the same seed gives the same counts and totals on every machine. */
    private static String salesRows(DemoTenant tenant) {
        int salt = Math.floorMod(tenant.id().value().hashCode(), 97);
        return """
                INSERT INTO sales (tenant_id, order_id, region, product, amount, ordered_at)
                SELECT '%s', g,
                       (ARRAY['%s'])[1 + (g * %d) %% %d],
                       (ARRAY['%s'])[1 + (g + %d) %% %d],
                       round((5 + ((g * 7919 + %d) %% 100000) / 100.0)::numeric, 2),
                       timestamp '2026-01-01 00:00:00' + ((g * 37) %% 300) * interval '1 day' + (g %% 24) * interval '1 hour'
                FROM generate_series(1, %d) AS g""".formatted(
                tenant.id().value(),
                String.join("','", REGIONS), 3 + salt % 5, REGIONS.length,
                String.join("','", PRODUCTS), salt, PRODUCTS.length,
                salt,
                tenant.salesRows());
    }

    private static void writeHostBasedAuthentication(Path dataDirectory) {
        try {
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), HOST_BASED_AUTHENTICATION);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            log.warn("Warehouse did not stop cleanly: {}", e.toString());
        }
    }
}
