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
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The warehouse of the local stack: PostgreSQL 17 standing in for Redshift. Each tenant has its own LOGIN
 * role under an opaque name, and row-level security on {@code sales} is bound to those roles, so what a
 * tenant sees is decided by whom the statement runs as, exactly as Redshift RLS policies attached to users
 * do.
 *
 * <p>The wall between tenants, as the warehouse builds it:
 * <ul>
 *   <li>every connection, the superuser's included and over the unix socket too, authenticates with
 *       scram-sha-256; the superuser's password is random per run and written only to an owner-only file;
 *   <li>privileges go to one NOLOGIN group, {@value #TENANT_GROUP}, so ACLs in the catalog
 *       ({@code relacl}, {@code datacl}, {@code nspacl}) name the group and never a tenant's user;
 *   <li>catalog views and functions that show other roles, other sessions or row counts, or that run SQL
 *       given as text, are revoked from PUBLIC;
 *   <li>each tenant user carries its limits ({@link TenantLimits}) and is read-only by default.
 * </ul>
 * What PostgreSQL cannot hide from a tenant (a table's {@code pg_class.reltuples}, role names behind
 * {@code ::regrole} or {@code pg_get_userbyid}, {@code has_*_privilege} on guessed names) is left to the
 * gateway's SQL guard; opaque user names make what leaks say nothing about which tenant it is.
 */
public final class LocalWarehouse implements AutoCloseable {

    public static final String DATABASE = "dev";
    public static final String ADMINISTRATOR = "postgres";
    /** The NOLOGIN role every tenant user is a member of; it alone holds the tenants' grants. */
    public static final String TENANT_GROUP = "spectra_tenants";

    private static final Logger log = LoggerFactory.getLogger(LocalWarehouse.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    /** Nobody is trusted: the socket and loopback both ask for a password. */
    private static final String HOST_BASED_AUTHENTICATION = """
            local all all scram-sha-256
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;
    private static final String[] REGIONS = {"EU", "NA", "APAC", "LATAM"};
    private static final String[] PRODUCTS = {"widget", "gadget", "gizmo", "doohickey"};
    /**
     * Catalog views a tenant must not read: other roles, policies, memberships, sessions, locks and every
     * statistics view ({@code pg_stat*}, {@code pg_statio*}, {@code pg_stats*}), which show other roles'
     * activity and row counts.
     */
    private static final String REVOKE_CATALOG_VIEWS = """
            DO $$
            DECLARE
                view regclass;
            BEGIN
                FOR view IN
                    SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'pg_catalog' AND c.relkind IN ('v', 'r')
                      AND (c.relname LIKE 'pg\\_stat%'
                           OR c.relname IN ('pg_roles', 'pg_user', 'pg_group', 'pg_policy', 'pg_policies',
                                            'pg_auth_members', 'pg_locks', 'pg_prepared_xacts', 'pg_user_mappings'))
                LOOP
                    EXECUTE format('REVOKE SELECT ON %s FROM PUBLIC', view);
                END LOOP;
            END$$""";
    /**
     * Functions a tenant must not call: the statistics accessors behind those views (they answer for any
     * backend or table), functions that run SQL handed to them as text, which would run a second
     * statement inside one the gateway checked, and {@code set_config}, which would lift the
     * user's statement timeout for its pooled session.
     */
    private static final String REVOKE_CATALOG_FUNCTIONS = """
            DO $$
            DECLARE
                function regprocedure;
            BEGIN
                FOR function IN
                    SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'pg_catalog'
                      AND (p.proname LIKE 'pg\\_stat\\_get\\_%'
                           OR p.proname LIKE '%\\_to\\_xml%'
                           OR p.proname IN ('ts_stat', 'ts_rewrite', 'set_config'))
                LOOP
                    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', function);
                END LOOP;
            END$$""";

    private final EmbeddedPostgres postgres;
    private final Map<String, String> passwordsByDatabaseUser;
    private final Path administratorFile;

    private LocalWarehouse(EmbeddedPostgres postgres, Map<String, String> passwordsByDatabaseUser, Path administratorFile) {
        this.postgres = postgres;
        this.passwordsByDatabaseUser = Map.copyOf(passwordsByDatabaseUser);
        this.administratorFile = administratorFile;
    }

    /**
     * @param dataDirectory      this run's cluster files, removed on close
     * @param binaryCache        where the PostgreSQL binaries are unpacked once and reused across runs
     * @param administratorFile  where the superuser's connection details go (mode 0600), removed on close
     * @param provisioning       the tenants, their database users and limits
     */
    public static LocalWarehouse start(Path dataDirectory, Path binaryCache, Path administratorFile,
                                       TenantProvisioning provisioning) {
        requireNonNull(administratorFile, "administratorFile is null");
        requireNonNull(provisioning, "provisioning is null");
        String administratorPassword = randomPassword();
        EmbeddedPostgres postgres = startCluster(dataDirectory, binaryCache, administratorPassword);
        try {
            yieldTheCpuToTheServices(dataDirectory);
            Map<String, String> passwords = provision(postgres.getPostgresDatabase(), postgres.getDatabase(ADMINISTRATOR, DATABASE),
                    provisioning);
            writeAdministratorFile(administratorFile, postgres.getPort(), administratorPassword);
            log.info("Warehouse ready: PostgreSQL on port {}, database {}, {} tenant users; administrator in {}",
                    postgres.getPort(), DATABASE, passwords.size(), administratorFile);
            return new LocalWarehouse(postgres, passwords, administratorFile);
        } catch (RuntimeException e) {
            closeQuietly(postgres);
            deleteQuietly(administratorFile);
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

    /** Superuser access to the warehouse database, with this run's password, for seeding checks in tests. */
    public DataSource administratorDataSource() {
        return postgres.getDatabase(ADMINISTRATOR, DATABASE);
    }

    /** The owner-only JSON file with the superuser's host, port, database, user and password. */
    public Path administratorFile() {
        return administratorFile;
    }

    /** CPU priority of the warehouse's processes, below the services' 0. */
    static final int WAREHOUSE_NICENESS = 10;

    @Override
    public void close() {
        closeQuietly(postgres);
        deleteQuietly(administratorFile);
    }

    /**
     * The warehouse stands in for a cluster of its own, but here it shares the machine with the services. Run at
     * a lower CPU priority (nice 10; backends forked later inherit it from the postmaster), a tenant's heavy
     * query slows the other queries in the warehouse, as on a real cluster, but not the gateway and the workers,
     * which on a real deployment would not share its CPUs. Best effort: without {@code renice} it runs as is.
     */
    private static void yieldTheCpuToTheServices(Path dataDirectory) {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().strip());
            List<String> command = new java.util.ArrayList<>(List.of("renice", "-n", String.valueOf(WAREHOUSE_NICENESS), "-p",
                    String.valueOf(postmaster)));
            ProcessHandle.of(postmaster).ifPresent(server -> server.descendants()
                    .forEach(child -> command.add(String.valueOf(child.pid()))));
            Process renice = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || renice.exitValue() != 0) {
                log.warn("could not lower the warehouse's CPU priority (renice failed); it competes with the services as is");
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not lower the warehouse's CPU priority ({}); it competes with the services as is", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * zonky runs initdb with {@code -A trust}; the superuser's password comes from initdb's
     * {@code --pwfile} (zonky passes locale settings through as {@code --key=value}), and zonky's own
     * data sources, which it also uses to wait for the server, send it from the connect config.
     */
    private static EmbeddedPostgres startCluster(Path dataDirectory, Path binaryCache, String administratorPassword) {
        Path passwordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".pwfile");
        try {
            PrivateFiles.write(passwordFile, administratorPassword + "\n");
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(true)
                    .setOverrideWorkingDirectory(binaryCache.toFile())
                    .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
                    .setConnectConfig("password", administratorPassword)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setDataDirectoryCustomizer(directory -> writeHostBasedAuthentication(directory.toPath()))
                    // initdb plus the first start took over the library's 10 s default once, on 2 busy cores in CI.
                    .setPGStartupWait(STARTUP_WAIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local warehouse (PostgreSQL)", e);
        } finally {
            deleteQuietly(passwordFile);
        }
    }

    /**
     * Whether {@link #provision} already ran on this server: its tenant group exists. A compose setup's provisioning
     * runs on every {@code docker compose up} and must leave a provisioned warehouse as it is.
     */
    static boolean isProvisioned(DataSource server) {
        try (Connection connection = server.getConnection();
             var statement = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            statement.setString(1, TENANT_GROUP);
            try (var rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not ask the warehouse whether it is provisioned", e);
        }
    }

    /**
     * Creates the warehouse database, the tenant group, {@code sales} with its policies and rows, and a login per tenant
     * with a fresh password, as the administrator: {@code server} connects to the {@code postgres} database,
     * {@code warehouse} to {@value #DATABASE} once it exists. The embedded warehouse and a compose setup's PostgreSQL
     * are provisioned by this one method. Returns each database user's password.
     */
    static Map<String, String> provision(DataSource server, DataSource warehouseDatabase, TenantProvisioning provisioning) {
        try (Connection connection = server.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE " + DATABASE);
            sql.execute("CREATE ROLE " + TENANT_GROUP + " NOLOGIN");
            // Nobody but the group may connect, and only to the warehouse database.
            for (String database : List.of("postgres", "template1", DATABASE)) {
                sql.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
            }
            sql.execute("GRANT CONNECT ON DATABASE " + DATABASE + " TO " + TENANT_GROUP);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the warehouse database", e);
        }

        Map<String, String> passwords = new LinkedHashMap<>();
        TenantLimits limits = provisioning.limits();
        try (Connection warehouse = warehouseDatabase.getConnection(); Statement sql = warehouse.createStatement()) {
            sql.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
            sql.execute("GRANT USAGE ON SCHEMA public TO " + TENANT_GROUP);
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
            sql.execute("GRANT SELECT ON sales TO " + TENANT_GROUP);
            // catalogs are per database: these revokes hold in the only database tenants may enter
            sql.execute(REVOKE_CATALOG_VIEWS);
            sql.execute(REVOKE_CATALOG_FUNCTIONS);

            for (ProvisionedTenant tenant : provisioning.tenants()) {
                String user = tenant.databaseUser();
                String password = randomPassword();
                passwords.put(user, password);
                sql.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'"
                        + " CONNECTION LIMIT " + tenant.connectionLimit(limits));
                // SET FALSE: a tenant cannot SET ROLE to the group, it only inherits the group's grants
                sql.execute("GRANT " + TENANT_GROUP + " TO " + user + " WITH INHERIT TRUE, SET FALSE");
                sql.execute("ALTER ROLE " + user + " SET statement_timeout = '" + limits.statementTimeout().toMillis() + "ms'");
                sql.execute("ALTER ROLE " + user + " SET idle_in_transaction_session_timeout = '"
                        + limits.idleInTransactionSessionTimeout().toMillis() + "ms'");
                sql.execute("ALTER ROLE " + user + " SET temp_file_limit = '" + limits.tempFileLimitKilobytes() + "kB'");
                // defence in depth behind the gateway's guard: a tenant's transactions cannot change anything
                sql.execute("ALTER ROLE " + user + " SET default_transaction_read_only = on");
                sql.execute("CREATE POLICY " + tenant.policyName() + " ON sales FOR SELECT TO " + user
                        + " USING (tenant_id = '" + tenant.id().value() + "')");
                sql.execute(salesRows(tenant.tenant()));
            }
            sql.execute("ANALYZE sales");
        } catch (SQLException e) {
            throw new IllegalStateException("could not seed the warehouse", e);
        }
        return passwords;
    }

    /**
     * Gives every tenant login a fresh random password and returns them: what Redshift's GetClusterCredentials does for
     * the real Data API, done once when a Data API emulator of its own starts against a warehouse that someone else
     * {@link #provision provisioned} (a compose setup's init), so that no tenant's password is ever written down.
     * {@code warehouseDatabase} connects as the administrator.
     */
    public static Map<String, String> issueTenantPasswords(DataSource warehouseDatabase) {
        Map<String, String> passwords = new LinkedHashMap<>();
        try (Connection connection = warehouseDatabase.getConnection(); Statement sql = connection.createStatement()) {
            List<String> users = new java.util.ArrayList<>();
            try (var rows = sql.executeQuery("SELECT member.rolname FROM pg_auth_members m"
                    + " JOIN pg_roles member ON member.oid = m.member JOIN pg_roles tenants ON tenants.oid = m.roleid"
                    + " WHERE tenants.rolname = '" + TENANT_GROUP + "' AND member.rolcanlogin ORDER BY 1")) {
                while (rows.next()) {
                    users.add(rows.getString(1));
                }
            }
            for (String user : users) {
                // the name goes into SQL text: only the opaque names provisioning draws
                if (!ProvisionedTenant.isOpaqueUser(user)) {
                    throw new IllegalStateException("not a tenant login provisioning drew: " + user);
                }
                String password = randomPassword();
                sql.execute("ALTER ROLE " + user + " PASSWORD '" + password + "'");
                passwords.put(user, password);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not issue the tenants' warehouse passwords", e);
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

    private static void writeAdministratorFile(Path file, int port, String password) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("host", LOOPBACK);
        document.put("port", port);
        document.put("database", DATABASE);
        document.put("user", ADMINISTRATOR);
        document.put("password", password);
        try {
            PrivateFiles.writeJson(file, document);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
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

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", file, e.toString());
        }
    }
}
