package dev.spectra.local;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantTable;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compose setup's init, run twice against an unprovisioned PostgreSQL, DynamoDB Local, S3Mock and a KRaft broker as
 * its containers would be: the first run provisions the warehouse and the registry so that they agree, the second
 * changes neither, and each leaves tokens the gateway's secret verifies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeProvisioningTest {

    private static final String HMAC_SECRET = "a-test-secret-of-at-least-thirty-two-bytes";

    @TempDir
    static Path data;

    private EmbeddedPostgres postgres;
    private LocalDynamoDb dynamoDb;
    private LocalS3 s3;
    private EmbeddedKafkaKraftBroker kafka;
    private Map<String, String> environment;

    @BeforeAll
    void start() throws Exception {
        Path root = TestRepository.root();
        // zonky's default: the administrator is trusted on loopback, whatever password it sends
        postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(root.resolve(".spectra/cache/postgres").toFile()).start();
        dynamoDb = LocalDynamoDb.start(root.resolve("local-stack/target/runtime/native"), List.of());
        s3 = LocalS3.start(root.resolve("local-stack/target/runtime/s3mock.jar"), Files.createDirectories(data.resolve("s3")),
                data.resolve("s3mock.log"));
        // No topics: init creates them, as on the compose setup's broker.
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.brokerProperty("auto.create.topics.enable", "false");
        kafka.afterPropertiesSet();
        environment = new HashMap<>(Map.of(
                "WAREHOUSE_HOST", "127.0.0.1",
                "WAREHOUSE_PORT", String.valueOf(postgres.getPort()),
                "WAREHOUSE_ADMINISTRATOR_PASSWORD_FILE", Files.writeString(data.resolve("administrator-password"), "trusted\n").toString(),
                "KAFKA_BOOTSTRAP_SERVERS", kafka.getBrokersAsString(),
                "DYNAMODB_ENDPOINT", dynamoDb.endpoint().toString(),
                "S3_ENDPOINT", s3.endpoint().toString(),
                "GATEWAY_HMAC_SECRET_FILE", Files.writeString(data.resolve("hmac-secret"), HMAC_SECRET).toString(),
                "TENANTS_FILE", data.resolve("tenants/tenants.json").toString()));
    }

    @AfterAll
    void stop() throws Exception {
        kafka.destroy();
        s3.close();
        dynamoDb.close();
        postgres.close();
    }

    @Test
    @Order(1)
    void provisionsOnceSoThatTheRegistryAndTheWarehouseAgreeAndIssuesVerifiableTokensEachRun() throws Exception {
        Path tenantsFile = ComposeProvisioning.run(environment, DemoTenant.ALL, TenantLimits.DEFAULTS);
        Map<String, String> usersAfterFirstRun = registeredUsers();
        ComposeProvisioning.run(environment, DemoTenant.ALL, TenantLimits.DEFAULTS);

        assertThat(registeredUsers()).as("the second run changes no login").isEqualTo(usersAfterFirstRun);
        assertThat(usersAfterFirstRun).containsOnlyKeys("acme", "globex", "initech");
        try (Connection warehouse = postgres.getDatabase(LocalWarehouse.ADMINISTRATOR, LocalWarehouse.DATABASE).getConnection();
             Statement sql = warehouse.createStatement()) {
            String acme = usersAfterFirstRun.get("acme");
            sql.execute("SET ROLE " + acme);
            try (ResultSet rows = sql.executeQuery("SELECT count(*), count(DISTINCT tenant_id) FROM sales")) {
                rows.next();
                assertThat(rows.getLong(1)).as("acme's rows, as acme's login sees them").isEqualTo(DemoTenant.ACME.salesRows());
                assertThat(rows.getLong(2)).isEqualTo(1);
            }
        }

        JsonNode tenants = JsonMapper.builder().build().readTree(tenantsFile.toFile());
        assertThat(tenants.path("tenants").valueStream().map(tenant -> tenant.path("id").asString()).toList())
                .containsExactly("acme", "globex", "initech");
        for (JsonNode tenant : tenants.path("tenants")) {
            SignedJWT token = SignedJWT.parse(tenant.path("token").asString());
            assertThat(token.verify(new MACVerifier(HMAC_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
            assertThat(token.getJWTClaimsSet().getStringClaim(LocalTokens.TENANT_CLAIM)).isEqualTo(tenant.path("id").asString());
        }
        assertThat(Files.getPosixFilePermissions(tenantsFile)).isEqualTo(PrivateFiles.OWNER_READ_WRITE);
    }

    @Test
    @Order(2)
    void createsEveryTopicAndTheResultsBucket() throws Exception {
        ComposeProvisioning.run(environment, DemoTenant.ALL, TenantLimits.DEFAULTS);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()));
             S3Client client = LocalAws.s3(s3.endpoint())) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).containsAll(LocalKafka.TOPICS);
            assertThat(admin.describeTopics(List.of(LocalKafka.TOPICS.getFirst())).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(LocalKafka.TOPICS.getFirst()).partitions()).hasSize(LocalKafka.PARTITIONS);
            assertThat(client.getBucketLifecycleConfiguration(request -> request.bucket(LocalS3.RESULTS_BUCKET)).rules())
                    .extracting(rule -> rule.id()).containsExactly(LocalS3.RESULTS_LIFECYCLE_RULE);
        }
    }

    /** Last: it loses the registry, as a restart of DynamoDB Local alone would. */
    @Test
    @Order(3)
    void refusesAWarehouseWithTenantsWhenTheRegistryHasLostThem() {
        try (DynamoDbClient client = LocalAws.dynamoDb(dynamoDb.endpoint())) {
            ComposeProvisioning.run(environment, DemoTenant.ALL, TenantLimits.DEFAULTS);
            client.deleteTable(request -> request.tableName(TenantTable.DEFAULT_NAME));
        }

        assertThatThrownBy(() -> ComposeProvisioning.run(environment, DemoTenant.ALL, TenantLimits.DEFAULTS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("docker compose down");
    }

    private Map<String, String> registeredUsers() {
        Map<String, String> users = new HashMap<>();
        try (DynamoDbClient client = LocalAws.dynamoDb(dynamoDb.endpoint())) {
            client.scan(request -> request.tableName(TenantTable.DEFAULT_NAME)).items().stream()
                    .map(TenantTable::fromItem)
                    .forEach((Tenant tenant) -> users.put(tenant.id().value(), tenant.databaseUser()));
        }
        return users;
    }
}
