package dev.spectra.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The warehouse's own wall: opaque logins per tenant, grants through one group, row-level security, catalog
 * revokes and per-tenant limits, checked without Spectra in between.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalWarehouseTest {

    /** Short, so that the warehouse's own cancellation can be watched in a test. */
    private static final Duration STATEMENT_TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    static Path data;

    private static final int GLOBEX_CONCURRENCY = 10;

    private TenantProvisioning provisioning;
    private LocalWarehouse warehouse;
    private Path administratorFile;

    @BeforeAll
    void start() {
        Path root = TestRepository.root();
        // Globex may run more queries at once than the default CONNECTION LIMIT leaves room for.
        provisioning = TenantProvisioning.generate(List.of(DemoTenant.ACME, DemoTenant.GLOBEX.withMaxConcurrentQueries(GLOBEX_CONCURRENCY),
                DemoTenant.INITECH), TenantLimits.DEFAULTS.withStatementTimeout(STATEMENT_TIMEOUT));
        administratorFile = data.resolve("state/warehouse-admin.json");
        warehouse = LocalWarehouse.start(data.resolve("postgres"), root.resolve(".spectra/cache/postgres"), administratorFile, provisioning);
    }

    @AfterAll
    void stop() {
        warehouse.close();
        assertThat(administratorFile).doesNotExist();
    }

    @Test
    void aTenantsBackendRunsAtTheWarehousesLowerCpuPriority() throws Exception {
        try (Connection connection = loginAs(DemoTenant.ACME)) {
            long backend = Long.parseLong(strings(connection, "SELECT pg_backend_pid()").getFirst());
            // /proc/<pid>/stat: the 19th field is the nice value; the command (2nd) may hold spaces, so count after ')'.
            String stat = Files.readString(Path.of("/proc", String.valueOf(backend), "stat"));
            String[] afterCommand = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertThat(Integer.parseInt(afterCommand[19 - 3])).isEqualTo(LocalWarehouse.WAREHOUSE_NICENESS);
        }
    }

    @Test
    void eachTenantUserSeesExactlyItsOwnRows() throws SQLException {
        for (DemoTenant tenant : List.of(DemoTenant.ACME, DemoTenant.GLOBEX)) {
            try (Connection connection = loginAs(tenant)) {
                assertThat(strings(connection, "SELECT DISTINCT tenant_id FROM sales")).containsExactly(tenant.id().value());
                assertThat(strings(connection, "SELECT COUNT(*) FROM sales")).containsExactly(Integer.toString(tenant.salesRows()));
                assertThat(strings(connection, "SELECT COUNT(*) FROM sales WHERE tenant_id <> '" + tenant.id() + "'")).containsExactly("0");
            }
        }
    }

    @Test
    void tenantsHoldDifferentRowCountsAndTotals() throws SQLException {
        try (Connection admin = warehouse.administratorDataSource().getConnection()) {
            List<String> totals = strings(admin, "SELECT tenant_id || ':' || COUNT(*) || ':' || SUM(amount) FROM sales GROUP BY tenant_id ORDER BY 1");
            assertThat(totals).hasSize(3);
            assertThat(totals.stream().map(total -> total.split(":")[2]).distinct()).hasSize(3);
        }
    }

    @Test
    void databaseUsersAndPolicyNamesAreOpaqueAndFreshPerRun() throws SQLException {
        TenantProvisioning anotherRun = TenantProvisioning.generate(DemoTenant.ALL, TenantLimits.DEFAULTS);
        for (ProvisionedTenant tenant : provisioning.tenants()) {
            assertThat(tenant.databaseUser()).matches("u[0-9a-f]{24}").doesNotContain(tenant.id().value());
            assertThat(tenant.databaseUser()).isNotEqualTo(anotherRun.databaseUserOf(tenant.id()));
        }
        try (Connection admin = warehouse.administratorDataSource().getConnection()) {
            List<String> policies = strings(admin, "SELECT policyname || ' ' || array_to_string(roles, ',') FROM pg_policies ORDER BY 1");
            assertThat(policies).hasSize(DemoTenant.ALL.size());
            for (DemoTenant tenant : DemoTenant.ALL) {
                assertThat(String.join(" ", policies)).doesNotContain(tenant.id().value());
            }
        }
    }

    @Test
    void aTenantUserCannotLogInWithoutItsPassword() {
        assertThatThrownBy(() -> DriverManager.getConnection(url(), userOf(DemoTenant.ACME), "guess").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void theSuperuserNeedsThisRunsPasswordOverTcpAndTheSocket() throws Exception {
        assertThatThrownBy(() -> DriverManager.getConnection(url(), LocalWarehouse.ADMINISTRATOR, "").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
        assertThatThrownBy(() -> DriverManager.getConnection(url(), LocalWarehouse.ADMINISTRATOR, "postgres").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        try (Connection admin = warehouse.administratorDataSource().getConnection()) {
            assertThat(strings(admin, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).containsExactly("t");
            // nothing in pg_hba.conf trusts anyone, the unix socket included
            assertThat(strings(admin, "SELECT DISTINCT auth_method FROM pg_hba_file_rules")).containsExactly("scram-sha-256");
            assertThat(strings(admin, "SELECT DISTINCT type FROM pg_hba_file_rules ORDER BY 1")).containsExactly("host", "local");
        }
    }

    @Test
    void theAdministratorFileIsOwnerOnlyAndCarriesWorkingCredentials() throws Exception {
        assertThat(Files.getPosixFilePermissions(administratorFile)).isEqualTo(PrivateFiles.OWNER_READ_WRITE);
        JsonNode document = JsonMapper.builder().build().readTree(Files.readString(administratorFile));
        assertThat(document.get("port").asInt()).isEqualTo(warehouse.port());
        assertThat(document.get("database").asString()).isEqualTo(LocalWarehouse.DATABASE);
        String url = "jdbc:postgresql://" + document.get("host").asString() + ":" + document.get("port").asInt()
                + "/" + document.get("database").asString();
        try (Connection admin = DriverManager.getConnection(url, document.get("user").asString(), document.get("password").asString())) {
            assertThat(strings(admin, "SELECT current_user")).containsExactly(LocalWarehouse.ADMINISTRATOR);
        }
    }

    @Test
    void aTenantUserCannotWriteOrNameOtherTenants() throws SQLException {
        try (Connection connection = loginAs(DemoTenant.ACME)) {
            assertThatThrownBy(() -> strings(connection, "DELETE FROM sales RETURNING 1")).hasMessageContaining("read-only transaction");
            assertThatThrownBy(() -> strings(connection, "CREATE TABLE mine (x int)")).hasMessageContaining("read-only transaction");
            assertThatThrownBy(() -> strings(connection, "SELECT rolname FROM pg_roles")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> strings(connection, "SELECT qual FROM pg_policies")).hasMessageContaining("permission denied");
        }
    }

    @Test
    void grantsReachTenantsThroughTheGroupSoNoAclNamesATenantUser() throws SQLException {
        try (Connection connection = loginAs(DemoTenant.ACME)) {
            String acls = String.join(" ", strings(connection, """
                    SELECT coalesce(relacl::text, '') FROM pg_class WHERE relname = 'sales'
                    UNION ALL SELECT coalesce(datacl::text, '') FROM pg_database
                    UNION ALL SELECT coalesce(nspacl::text, '') FROM pg_namespace"""));

            assertThat(acls).contains(LocalWarehouse.TENANT_GROUP + "=r/postgres", LocalWarehouse.TENANT_GROUP + "=c/postgres",
                    LocalWarehouse.TENANT_GROUP + "=U/pg_database_owner");
            for (ProvisionedTenant tenant : provisioning.tenants()) {
                assertThat(acls).doesNotContain(tenant.databaseUser());
            }
            // the group's grants arrive by inheritance; becoming the group is not allowed
            assertThatThrownBy(() -> strings(connection, "SET ROLE " + LocalWarehouse.TENANT_GROUP)).hasMessageContaining("permission denied");
        }
    }

    @Test
    void catalogViewsAndFunctionsThatShowOtherRolesOrRunTextAsSqlAreRefused() throws SQLException {
        List<String> refused = List.of(
                "SELECT usename FROM pg_stat_activity",
                "SELECT * FROM pg_stat_get_activity(NULL)",
                "SELECT pg_stat_get_numscans('sales'::regclass)",
                "SELECT attname FROM pg_stats",
                "SELECT * FROM pg_stats_ext",
                "SELECT * FROM pg_stats_ext_exprs",
                "SELECT n_live_tup FROM pg_stat_user_tables",
                "SELECT n_live_tup FROM pg_stat_all_tables",
                "SELECT heap_blks_read FROM pg_statio_user_tables",
                "SELECT heap_blks_read FROM pg_statio_all_tables",
                "SELECT * FROM pg_stat_database",
                "SELECT * FROM pg_locks",
                "SELECT * FROM pg_user",
                "SELECT * FROM pg_auth_members",
                "SELECT query_to_xml('SELECT 1', true, false, '')",
                "SELECT query_to_xmlschema('SELECT 1', true, false, '')",
                "SELECT table_to_xml('sales', true, false, '')",
                "SELECT schema_to_xml('public', true, false, '')",
                "SELECT database_to_xml(true, false, '')",
                "SELECT * FROM ts_stat('SELECT to_tsvector(region) FROM sales')",
                "SELECT set_config('statement_timeout', '0', false)");
        try (Connection connection = loginAs(DemoTenant.ACME)) {
            for (String sql : refused) {
                assertThatThrownBy(() -> strings(connection, sql)).as(sql).hasMessageContaining("permission denied");
            }
        }
    }

    /**
     * What PostgreSQL cannot take away without breaking clients (pgjdbc's metadata reads pg_class and
     * pg_attribute): a table's estimated row count, and role names behind oids. The gateway's SQL guard
     * refuses catalog access; opaque names make whatever leaks anyway say nothing about a tenant.
     */
    @Test
    void whatTheCatalogStillShowsATenantNamesNoTenant() throws SQLException {
        try (Connection connection = loginAs(DemoTenant.ACME)) {
            assertThat(strings(connection, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'sales'"))
                    .containsExactly(Integer.toString(DemoTenant.ALL.stream().mapToInt(DemoTenant::salesRows).sum()));
            String roleNames = String.join(" ", strings(connection,
                    "SELECT candidate::oid::regrole::text FROM generate_series(16384, 20000) AS candidate"));
            assertThat(roleNames).contains(userOf(DemoTenant.GLOBEX));
            for (DemoTenant tenant : DemoTenant.ALL) {
                assertThat(roleNames).doesNotContain(tenant.id().value());
            }
        }
    }

    @Test
    void aTenantSessionStartsWithItsLimitsAndReadOnly() throws SQLException {
        try (Connection connection = loginAs(DemoTenant.ACME)) {
            assertThat(strings(connection, "SHOW statement_timeout")).containsExactly("1500ms");
            assertThat(strings(connection, "SHOW temp_file_limit")).containsExactly("1GB");
            assertThat(strings(connection, "SHOW idle_in_transaction_session_timeout")).containsExactly("1min");
            assertThat(strings(connection, "SHOW default_transaction_read_only")).containsExactly("on");
        }
        try (Connection admin = warehouse.administratorDataSource().getConnection()) {
            assertThat(strings(admin, "SELECT rolconnlimit FROM pg_roles WHERE rolname = '" + userOf(DemoTenant.ACME) + "'"))
                    .containsExactly("32");
        }
    }

    @Test
    void aTenantsConnectionLimitLeavesRoomForWhatTheQueryWorkersMayOpenAtItsConcurrency() throws SQLException {
        try (Connection admin = warehouse.administratorDataSource().getConnection()) {
            assertThat(strings(admin, "SELECT rolconnlimit FROM pg_roles WHERE rolname = '" + userOf(DemoTenant.GLOBEX) + "'"))
                    .containsExactly(Integer.toString(4 * GLOBEX_CONCURRENCY));
        }
    }

    @Test
    void aTenantCannotRaiseItsOwnLimits() throws SQLException {
        try (Connection connection = loginAs(DemoTenant.ACME)) {
            // an ordinary role may change its own defaults, but not in a read-only transaction
            assertThatThrownBy(() -> strings(connection, "ALTER ROLE CURRENT_USER SET statement_timeout = 0"))
                    .hasMessageContaining("read-only transaction");
            assertThatThrownBy(() -> strings(connection, "ALTER ROLE CURRENT_USER PASSWORD 'mine'"))
                    .hasMessageContaining("read-only transaction");
            assertThatThrownBy(() -> strings(connection, "SET temp_file_limit = -1")).hasMessageContaining("permission denied");
        }
        try (Connection again = loginAs(DemoTenant.ACME)) {
            assertThat(strings(again, "SHOW statement_timeout")).containsExactly("1500ms");
        }
    }

    @Test
    void theWarehouseCancelsAStatementPastTheTenantsTimeout() throws SQLException {
        try (Connection connection = loginAs(DemoTenant.GLOBEX)) {
            long started = System.nanoTime();

            assertThatThrownBy(() -> strings(connection, "SELECT pg_sleep(10)"))
                    .hasMessageContaining("canceling statement due to statement timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private String url() {
        return "jdbc:postgresql://127.0.0.1:" + warehouse.port() + "/" + LocalWarehouse.DATABASE;
    }

    private String userOf(DemoTenant tenant) {
        return provisioning.databaseUserOf(tenant.id());
    }

    private Connection loginAs(DemoTenant tenant) throws SQLException {
        String user = userOf(tenant);
        return DriverManager.getConnection(url(), user, warehouse.passwordsByDatabaseUser().get(user));
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
