package dev.spectra.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The warehouse's own wall: logins per tenant and row-level security, checked without Spectra in between. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalWarehouseTest {

    @TempDir
    static Path data;

    private LocalWarehouse warehouse;

    @BeforeAll
    void start() {
        Path root = TestRepository.root();
        warehouse = LocalWarehouse.start(data.resolve("postgres"), root.resolve(".spectra/cache/postgres"), DemoTenant.ALL);
    }

    @AfterAll
    void stop() {
        warehouse.close();
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
    void aTenantUserCannotLogInWithoutItsPassword() {
        String url = "jdbc:postgresql://127.0.0.1:" + warehouse.port() + "/" + LocalWarehouse.DATABASE;

        assertThatThrownBy(() -> DriverManager.getConnection(url, "tenant_acme", "guess").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void aTenantUserCannotWriteOrNameOtherTenants() throws SQLException {
        try (Connection connection = loginAs(DemoTenant.ACME)) {
            assertThatThrownBy(() -> strings(connection, "DELETE FROM sales RETURNING 1")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> strings(connection, "CREATE TABLE mine (x int)")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> strings(connection, "SELECT rolname FROM pg_roles")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> strings(connection, "SELECT qual FROM pg_policies")).hasMessageContaining("permission denied");
        }
    }

    private Connection loginAs(DemoTenant tenant) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + warehouse.port() + "/" + LocalWarehouse.DATABASE;
        return DriverManager.getConnection(url, tenant.databaseUser(), warehouse.passwordsByDatabaseUser().get(tenant.databaseUser()));
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
