package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The compose setup's one-shot {@code init}: provisions what the local stack provisions in its own JVM, against the
 * compose containers, with the same code. On every {@code docker compose up}, so each step leaves what exists as it is:
 * <ol>
 *   <li>the topics ({@link LocalKafka#TOPICS}, one replica), the results bucket, the job table and the registry;
 *   <li>once, when the warehouse has no tenant group yet: the demo tenants' registry entries, then their opaque logins,
 *       policies and rows in the warehouse ({@link LocalWarehouse#provision}); the registry first, so that a run that
 *       fails in between is repaired by the next, which draws new logins for both;
 *   <li>always: a fresh token per demo tenant, signed with the gateway's HMAC secret, in {@code TENANTS_FILE}, in the
 *       shape {@code ./spectra local} writes {@code .spectra/local/tenants.json}.
 * </ol>
 * Environment: {@link WarehouseAdministrator}'s, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code DYNAMODB_ENDPOINT},
 * {@code S3_ENDPOINT}, {@code GATEWAY_HMAC_SECRET_FILE}, {@code GATEWAY_URL} (for the tenants file) and
 * {@code TENANTS_FILE}. Each neighbour is waited for, up to two minutes, since compose starts some without a health check.
 */
public final class ComposeProvisioning {

    private static final Logger log = LoggerFactory.getLogger(ComposeProvisioning.class);
    private static final Duration NEIGHBOUR_WAIT = Duration.ofSeconds(120);
    private static final short TOPIC_REPLICAS = 1;

    private ComposeProvisioning() {
    }

    public static void main(String[] args) {
        Path tenantsFile = run(System.getenv(), DemoTenant.ALL, TenantLimits.DEFAULTS);
        log.info("Provisioned; the demo tenants' tokens are in {}", tenantsFile);
    }

    /** Provisions everything for {@code tenants} (the first time) and writes their tokens; returns the tokens' file. */
    public static Path run(Map<String, String> environment, List<DemoTenant> tenants, TenantLimits limits) {
        WarehouseAdministrator administrator = WarehouseAdministrator.fromEnvironment(environment);
        LocalTokens tokens = LocalTokens.withKey(readSecret(Path.of(ComposeEnvironment.required(environment, "GATEWAY_HMAC_SECRET_FILE"))));
        Path tenantsFile = Path.of(ComposeEnvironment.required(environment, "TENANTS_FILE"));

        createTopics(ComposeEnvironment.required(environment, "KAFKA_BOOTSTRAP_SERVERS"));
        try (S3Client s3 = LocalAws.s3(URI.create(ComposeEnvironment.required(environment, "S3_ENDPOINT")))) {
            ComposeEnvironment.retry("creating the results bucket", NEIGHBOUR_WAIT, () -> {
                LocalS3.createResultsBucketIfAbsent(s3);
                return null;
            });
        }
        try (DynamoDbClient dynamoDb = LocalAws.dynamoDb(URI.create(ComposeEnvironment.required(environment, "DYNAMODB_ENDPOINT")))) {
            boolean newRegistry = ComposeEnvironment.retry("creating the tables", NEIGHBOUR_WAIT,
                    () -> LocalDynamoDb.createTablesIfAbsent(dynamoDb));
            boolean provisioned = ComposeEnvironment.retry("reaching the warehouse as " + administrator, NEIGHBOUR_WAIT,
                    () -> LocalWarehouse.isProvisioned(administrator.dataSource("postgres")));
            if (!provisioned) {
                TenantProvisioning provisioning = TenantProvisioning.generate(tenants, limits);
                LocalDynamoDb.register(dynamoDb, provisioning.tenants().stream().map(ProvisionedTenant::registryEntry).toList());
                LocalWarehouse.provision(administrator.dataSource("postgres"), administrator.dataSource(LocalWarehouse.DATABASE), provisioning);
                log.info("Provisioned {} tenants in the registry and the warehouse", provisioning.tenants().size());
            } else if (newRegistry) {
                // DynamoDB Local keeps its tables in memory: restarted alone, it forgot the logins the warehouse has.
                throw new IllegalStateException("the warehouse is provisioned but the tenant registry is new (DynamoDB Local was "
                        + "restarted): start from scratch with docker compose down, then up");
            } else {
                log.info("The warehouse and the registry are provisioned already; only new tokens are issued");
            }
        }

        writeTenantsFile(tenantsFile, environment.getOrDefault("GATEWAY_URL", "http://127.0.0.1:8080"), tenants, tokens);
        return tenantsFile;
    }

    private static void createTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            ComposeEnvironment.retry("creating the topics", NEIGHBOUR_WAIT, () -> {
                Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                List<NewTopic> missing = LocalKafka.TOPICS.stream()
                        .filter(topic -> !existing.contains(topic))
                        .map(topic -> new NewTopic(topic, LocalKafka.PARTITIONS, TOPIC_REPLICAS))
                        .toList();
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                return null;
            });
        }
    }

    private static void writeTenantsFile(Path file, String gateway, List<DemoTenant> tenants, LocalTokens tokens) {
        Map<TenantId, String> byTenant = new LinkedHashMap<>();
        tenants.forEach(tenant -> byTenant.put(tenant.id(), tokens.tokenFor(tenant.id())));
        try {
            TenantsFile.write(file, gateway, byTenant);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static String readSecret(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the gateway's HMAC secret from " + file, e);
        }
    }
}
