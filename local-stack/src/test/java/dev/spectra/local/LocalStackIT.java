package dev.spectra.local;

import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.messaging.Topics;
import dev.spectra.common.tenant.TenantId;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static dev.spectra.local.GatewayClient.Answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system as a tenant application sees it: the real services as processes, the real AWS SDK
 * clients against the local engines, and the warehouse's own row-level security as the wall.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackIT {

    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";
    private static final Duration JOB_DEADLINE = Duration.ofSeconds(60);

    private LocalStack stack;
    private GatewayClient gateway;
    private String acmeToken;
    private String globexToken;

    @BeforeAll
    void startTheStack() {
        Path root = TestRepository.root();
        stack = LocalStack.start(new LocalStackSettings(root, root.resolve("local-stack/target/it-stack"), FreePorts.next()));
        gateway = new GatewayClient(stack.gatewayUrl());
        acmeToken = stack.tokens().tokenFor(TenantId.of(ACME));
        globexToken = stack.tokens().tokenFor(TenantId.of(GLOBEX));
    }

    @AfterAll
    void stopTheStack() {
        if (stack != null) {
            stack.close();
            assertThat(stack.logDirectory().resolveSibling("run")).doesNotExist();
            assertThat(stack.warehouse().administratorFile()).doesNotExist();
        }
    }

    @Test
    void aTenantSeesOnlyItsOwnTenantId() {
        JsonNode result = runToSuccess(acmeToken, ACME, "SELECT DISTINCT tenant_id FROM sales");

        assertThat(result.get("row_count").asLong()).isEqualTo(1);
        assertThat(result.get("rows").get(0).get(0).asString()).isEqualTo(ACME);
        assertThat(result.get("columns").get(0).get("name").asString()).isEqualTo("tenant_id");
    }

    @Test
    void aTenantRunsAsItsOpaqueDatabaseUserAndNeverLearnsAnotherTenantsUser() {
        JsonNode result = runToSuccess(acmeToken, ACME, "SELECT current_user AS me");

        String answer = result.toString();
        assertThat(answer).contains(stack.databaseUserOf(TenantId.of(ACME)))
                .doesNotContain(stack.databaseUserOf(TenantId.of(GLOBEX)))
                .doesNotContain(stack.databaseUserOf(TenantId.of("initech")));
        assertThat(stack.databaseUserOf(TenantId.of(ACME))).doesNotContainIgnoringCase(ACME).matches("u[0-9a-f]{24}");
    }

    @Test
    void theWarehouseAdministratorFileIsOwnerOnlyWhileTheStackRuns() throws Exception {
        Path file = stack.warehouse().administratorFile();

        assertThat(file).isEqualTo(stack.logDirectory().resolveSibling("warehouse-admin.json"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PrivateFiles.OWNER_READ_WRITE);
        assertThat(Files.readString(file)).contains("\"user\" : \"postgres\"", "\"password\"");
    }

    @Test
    void eachTenantsTotalsMatchWhatWasSeededForThatTenantOnly() throws SQLException {
        for (String tenant : List.of(ACME, GLOBEX)) {
            String token = tenant.equals(ACME) ? acmeToken : globexToken;

            JsonNode row = runToSuccess(token, tenant, "SELECT COUNT(*) AS orders, SUM(amount) AS revenue FROM sales").get("rows").get(0);

            Object[] seeded = seededTotals(tenant);
            assertThat(row.get(0).asLong()).as("orders of %s", tenant).isEqualTo(seeded[0]);
            assertThat(new BigDecimal(row.get(1).asString())).as("revenue of %s", tenant).isEqualByComparingTo((BigDecimal) seeded[1]);
        }
        assertThat(seededTotals(ACME)[0]).isNotEqualTo(seededTotals(GLOBEX)[0]);
    }

    @Test
    void namingAnotherTenantsRowsReturnsNothing() {
        JsonNode result = runToSuccess(acmeToken, ACME, "SELECT * FROM sales WHERE tenant_id = 'globex'");

        assertThat(result.get("row_count").asLong()).isZero();
        assertThat(result.get("rows")).isEmpty();
        assertThat(result.get("columns")).hasSize(6);
    }

    @Test
    void resultsArriveTypedAcrossDataApiPages() {
        // 3000 rows span six Data API result pages of 500 rows on the local emulator.
        JsonNode result = runToSuccess(acmeToken, ACME,
                "SELECT order_id, region, amount, ordered_at FROM sales ORDER BY order_id");

        assertThat(result.get("row_count").asLong()).isEqualTo(DemoTenant.ACME.salesRows());
        assertThat(result.get("rows")).hasSize(DemoTenant.ACME.salesRows());
        JsonNode first = result.get("rows").get(0);
        assertThat(first.get(0).isNumber()).isTrue();
        assertThat(first.get(0).asLong()).isEqualTo(1);
        assertThat(first.get(2).isString()).as("decimals stay exact strings").isTrue();
        assertThat(result.get("columns").get(2).get("type").asString()).isEqualTo("numeric");
    }

    @Test
    void aDestructiveStatementIsRefusedAndNeverReachesTheWarehouse() throws SQLException {
        Answer answer = gateway.submit(acmeToken, ACME, "DROP TABLE sales");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("code")).isEqualTo("SQL_NOT_READ_ONLY");
        assertThat(seededTotals(ACME)[0]).isEqualTo((long) DemoTenant.ACME.salesRows());
    }

    @Test
    void multipleStatementsAndGarbageAreRefused() {
        assertThat(gateway.submit(acmeToken, ACME, "SELECT 1; SELECT 2").text("code")).isEqualTo("SQL_MULTIPLE_STATEMENTS");
        assertThat(gateway.submit(acmeToken, ACME, "SELEKT nonsense FROM").text("code")).isEqualTo("SQL_INVALID");
        Answer malformed = gateway.submitRaw(acmeToken, ACME, "{\"sql\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
    }

    @Test
    void requestsWithoutAValidTokenAreUnauthenticated() {
        String foreignKey = LocalTokens.withRandomKey().tokenFor(TenantId.of(ACME));
        String expired = stack.tokens().sign(ACME, Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));

        for (String token : new String[] {null, "not-a-jwt", foreignKey, expired}) {
            Answer answer = gateway.submit(token, ACME, "SELECT 1");
            assertThat(answer.status()).as("token %s", token).isEqualTo(401);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void theTenantHeaderMustMatchTheTokensTenant() {
        Answer mismatch = gateway.submit(acmeToken, GLOBEX, "SELECT 1");
        Answer missing = gateway.submit(acmeToken, null, "SELECT 1");

        assertThat(mismatch.status()).isEqualTo(403);
        assertThat(mismatch.text("code")).isEqualTo("TENANT_MISMATCH");
        assertThat(missing.status()).isEqualTo(403);
    }

    @Test
    void anInactiveTenantIsRefused() {
        Answer answer = gateway.submit(stack.tokens().tokenFor(DemoTenant.INITECH.id()), "initech", "SELECT 1");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.text("code")).isEqualTo("TENANT_NOT_ACTIVE");
    }

    @Test
    void anotherTenantsJobIsIndistinguishableFromOneThatNeverExisted() {
        String globexJob = gateway.submit(globexToken, GLOBEX, "SELECT 1 AS one").text("job_id");

        String neverExisted = UUID.randomUUID().toString();

        Answer foreign = gateway.status(acmeToken, ACME, globexJob);
        Answer unknown = gateway.status(acmeToken, ACME, neverExisted);
        Answer foreignResults = gateway.results(acmeToken, ACME, globexJob);

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreignResults.status()).isEqualTo(404);
        assertThat(foreign.text("code")).isEqualTo("JOB_NOT_FOUND");
        assertThat(foreign.body().replace(globexJob, "<id>")).isEqualTo(unknown.body().replace(neverExisted, "<id>"));
        assertThat(gateway.status(globexToken, GLOBEX, globexJob).status()).isEqualTo(200);
    }

    @Test
    void aFailingQueryEndsFailedWithTheWarehousesMessage() {
        String jobId = accepted(gateway.submit(acmeToken, ACME, "SELECT * FROM no_such_table"));

        JsonNode status = awaitTerminal(acmeToken, ACME, jobId);

        assertThat(status.get("status").asString()).isEqualTo("FAILED");
        assertThat(status.get("error").get("code").asString()).isEqualTo("QUERY_FAILED");
        assertThat(status.get("error").get("message").asString()).contains("no_such_table");
        Answer results = gateway.results(acmeToken, ACME, jobId);
        assertThat(results.status()).isEqualTo(409);
        assertThat(results.text("job_status")).isEqualTo("FAILED");
    }

    @Test
    void resultsAreNotReadyWhileTheQueryRuns() {
        String jobId = accepted(gateway.submit(acmeToken, ACME, "SELECT COUNT(*) FROM generate_series(1, 20000000)"));

        Answer early = gateway.results(acmeToken, ACME, jobId);

        assertThat(early.status()).isEqualTo(409);
        assertThat(early.text("code")).isEqualTo("RESULT_NOT_READY");
        assertThat(early.text("job_status")).isIn("QUEUED", "RUNNING", "DELIVERING");
        assertThat(awaitTerminal(acmeToken, ACME, jobId).get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void theJobRecordKeepsItsStatementIdAndTheStatusDocumentOmitsWhatIsAbsent() {
        String jobId = accepted(gateway.submit(globexToken, GLOBEX, "SELECT region, COUNT(*) FROM sales GROUP BY region"));
        JsonNode status = awaitTerminal(globexToken, GLOBEX, jobId);

        assertThat(status.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(status.get("job_id").asString()).isEqualTo(jobId);
        assertThat(status.get("row_count").asLong()).isPositive();
        assertThat(status.has("submitted_at")).isTrue();
        assertThat(status.has("updated_at")).isTrue();
        assertThat(status.has("error")).isFalse();
        try (DynamoDbClient dynamoDb = LocalAws.dynamoDb(stack.dynamoDbEndpoint())) {
            Map<String, AttributeValue> item = dynamoDb.getItem(
                    JobTable.get(JobTable.DEFAULT_NAME, TenantId.of(GLOBEX), JobId.of(jobId))).item();
            assertThat(item.get("statement_id").s()).isNotBlank();
            assertThat(item.get("database_user").s()).isEqualTo(stack.databaseUserOf(TenantId.of(GLOBEX)));
        }
    }

    @Test
    void pipelinesSeeEveryVisibleStateOfAJob() {
        String jobId = accepted(gateway.submit(acmeToken, ACME, "SELECT product, SUM(amount) FROM sales GROUP BY product"));
        awaitTerminal(acmeToken, ACME, jobId);

        List<String> statuses = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = eventsConsumer()) {
            consumer.subscribe(List.of(Topics.JOB_EVENTS));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = GatewayClient.JSON.readTree(record.value());
                    if (event.get("jobId").asString().equals(jobId)) {
                        assertThat(record.key()).isEqualTo(ACME);
                        statuses.add(event.get("status").asString());
                    }
                }
                assertThat(statuses).contains("SUCCEEDED");
            });
        }
        assertThat(statuses).containsSubsequence("QUEUED", "DELIVERING", "SUCCEEDED");
    }

    @Test
    void aTenantsSecondQueryRunsOnAWarmSession() {
        runToSuccess(globexToken, GLOBEX, "SELECT 1 AS warm_up");
        runToSuccess(globexToken, GLOBEX, "SELECT 2 AS reuse");

        String metrics = gateway.get(stack.managementEndpoints().get("query-worker").resolve("/actuator/prometheus")).body();
        assertThat(metrics).containsPattern("spectra_sessions_borrowed_total\\{[^}]*outcome=\"warm\"[^}]*} [1-9]");
        String gatewayMetrics = gateway.get(stack.managementEndpoints().get("api-gateway-service").resolve("/actuator/prometheus")).body();
        assertThat(gatewayMetrics).contains("spectra_gateway_submissions_total");
    }

    @Test
    void theGatewaysApiPortServesNoActuatorWhileEveryManagementPortServesHealthProbesAndMetrics() {
        runToSuccess(acmeToken, ACME, "SELECT 1 AS timed");

        for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator/health/readiness")) {
            Answer onApiPort = gateway.get(stack.gatewayUrl().resolve(path));
            assertThat(onApiPort.status()).as(path + " on the API port").isIn(401, 404);
            assertThat(onApiPort.body()).doesNotContain("jvm_", "\"UP\"");
        }
        Map<String, URI> management = stack.managementEndpoints();
        assertThat(management.get("api-gateway-service").getPort()).isNotEqualTo(stack.gatewayUrl().getPort());
        for (String service : List.of("api-gateway-service", "query-worker", "delivery-worker")) {
            for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
                Answer health = gateway.get(management.get(service).resolve(probe));
                assertThat(health.status()).as(service + probe).isEqualTo(200);
                assertThat(health.body()).contains("\"UP\"");
            }
        }
        // Every AWS call is timed, in every service: the job's writes, its statement, its result pages.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(metrics(management, "api-gateway-service"))
                    .containsPattern("spectra_aws_calls_seconds_count\\{[^}]*operation=\"PutItem\"[^}]*outcome=\"success\"[^}]*service=\"dynamodb\"");
            assertThat(metrics(management, "query-worker"))
                    .containsPattern("spectra_aws_calls_seconds_count\\{[^}]*operation=\"ExecuteStatement\"[^}]*outcome=\"success\"[^}]*service=\"redshift-data\"")
                    .containsPattern("spectra_aws_calls_seconds_count\\{[^}]*service=\"dynamodb\"");
            assertThat(metrics(management, "delivery-worker"))
                    .containsPattern("spectra_aws_calls_seconds_count\\{[^}]*operation=\"GetStatementResult[^}]*service=\"redshift-data\"")
                    .containsPattern("spectra_aws_calls_seconds_bucket\\{[^}]*service=\"dynamodb\"");
        });
    }

    private String metrics(Map<String, URI> management, String service) {
        return gateway.get(management.get(service).resolve("/actuator/prometheus")).body();
    }

    @Test
    void concurrentJobsOfBothTenantsNeverMixTenantsOnPooledSessions() {
        Map<String, String> tokens = Map.of(ACME, acmeToken, GLOBEX, globexToken);
        List<String[]> jobs = IntStream.range(0, 24).parallel()
                .mapToObj(i -> i % 2 == 0 ? ACME : GLOBEX)
                .map(tenant -> new String[] {tenant,
                        accepted(gateway.submit(tokens.get(tenant), tenant, "SELECT tenant_id, COUNT(*) FROM sales GROUP BY tenant_id"))})
                .toList();

        for (String[] job : jobs) {
            String tenant = job[0];
            JsonNode status = awaitTerminal(tokens.get(tenant), tenant, job[1]);
            assertThat(status.get("status").asString()).as("job %s of %s", job[1], tenant).isEqualTo("SUCCEEDED");
            JsonNode rows = gateway.results(tokens.get(tenant), tenant, job[1]).json().get("rows");
            int seeded = tenant.equals(ACME) ? DemoTenant.ACME.salesRows() : DemoTenant.GLOBEX.salesRows();
            assertThat(rows.toString()).isEqualTo("[[\"" + tenant + "\"," + seeded + "]]");
        }
        String metrics = gateway.get(stack.managementEndpoints().get("query-worker").resolve("/actuator/prometheus")).body();
        Matcher open = Pattern.compile("(?m)^spectra_sessions_open(\\{[^}]*})? ([0-9.]+)").matcher(metrics);
        assertThat(open.find()).as(metrics).isTrue();
        assertThat(Double.parseDouble(open.group(2))).as("at most 4 sessions per tenant user").isLessThanOrEqualTo(8);
    }

    private JsonNode runToSuccess(String token, String tenant, String sql) {
        String jobId = accepted(gateway.submit(token, tenant, sql));
        JsonNode status = awaitTerminal(token, tenant, jobId);
        assertThat(status.get("status").asString()).as("job %s: %s", jobId, status).isEqualTo("SUCCEEDED");
        Answer results = gateway.results(token, tenant, jobId);
        assertThat(results.status()).isEqualTo(200);
        return results.json();
    }

    private static String accepted(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        assertThat(answer.text("status")).isEqualTo("QUEUED");
        return answer.text("job_id");
    }

    private JsonNode awaitTerminal(String token, String tenant, String jobId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(JOB_DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
            Answer answer = gateway.status(token, tenant, jobId);
            last[0] = answer.json();
            return List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(answer.text("status"));
        });
        return last[0];
    }

    private Object[] seededTotals(String tenant) throws SQLException {
        try (Connection connection = stack.warehouse().administratorDataSource().getConnection();
             Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT COUNT(*), SUM(amount) FROM sales WHERE tenant_id = '" + tenant + "'")) {
            rows.next();
            return new Object[] {rows.getLong(1), rows.getBigDecimal(2)};
        }
    }

    private KafkaConsumer<String, String> eventsConsumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(properties);
    }
}
