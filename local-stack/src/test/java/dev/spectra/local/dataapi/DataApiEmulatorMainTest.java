package dev.spectra.local.dataapi;

import dev.spectra.local.DemoTenant;
import dev.spectra.local.LocalWarehouse;
import dev.spectra.local.TenantLimits;
import dev.spectra.local.TenantProvisioning;
import dev.spectra.local.TestRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The emulator's own main, as its compose container runs it: started from an environment against a PostgreSQL it did
 * not start (here the embedded warehouse, reached over TCP as the compose setup's {@code postgres} is).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataApiEmulatorMainTest {

    @TempDir
    static Path data;

    private TenantProvisioning provisioning;
    private LocalWarehouse warehouse;
    private DataApiEmulator emulator;

    @BeforeAll
    void start() throws Exception {
        provisioning = TenantProvisioning.generate(List.of(DemoTenant.ACME, DemoTenant.GLOBEX), TenantLimits.DEFAULTS);
        warehouse = LocalWarehouse.start(data.resolve("postgres"), TestRepository.root().resolve(".spectra/cache/postgres"),
                data.resolve("warehouse-admin.json"), provisioning);
        String administratorPassword = JsonMapper.builder().build().readTree(warehouse.administratorFile().toFile())
                .path("password").asString();
        Path passwordFile = Files.writeString(data.resolve("warehouse-administrator-password"), administratorPassword + "\n");
        emulator = DataApiEmulatorMain.start(Map.of(
                "WAREHOUSE_HOST", "127.0.0.1",
                "WAREHOUSE_PORT", String.valueOf(warehouse.port()),
                "WAREHOUSE_ADMINISTRATOR_PASSWORD_FILE", passwordFile.toString(),
                "DATA_API_PORT", "0",
                "DATA_API_SPOOL_DIRECTORY", data.resolve("spool").toString()));
    }

    @AfterAll
    void stop() {
        emulator.close();
        warehouse.close();
    }

    @Test
    void answersAStatementAsTheTenantsLoginWithRowLevelSecurityInForce() {
        try (RedshiftDataClient client = TestWarehouse.clientFor(emulator.endpoint())) {
            String id = client.executeStatement(request -> request.clusterIdentifier("spectra-local")
                    .database(LocalWarehouse.DATABASE)
                    .dbUser(provisioning.databaseUserOf(DemoTenant.ACME.id()))
                    .sql("SELECT count(*) AS orders, count(DISTINCT tenant_id) AS tenants FROM sales")).id();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.describeStatement(request -> request.id(id)).status() == StatusString.FINISHED);

            var row = client.getStatementResult(request -> request.id(id)).records().getFirst();
            assertThat(row.get(0).longValue()).isEqualTo(DemoTenant.ACME.salesRows());
            assertThat(row.get(1).longValue()).isEqualTo(1);
        }
    }

    @Test
    void theTenantsPasswordsFromProvisioningNoLongerLogIn() {
        String user = provisioning.databaseUserOf(DemoTenant.GLOBEX.id());
        String provisioned = warehouse.passwordsByDatabaseUser().get(user);

        assertThatThrownBy(() -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + warehouse.port() + "/" + LocalWarehouse.DATABASE, user, provisioned).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }
}
