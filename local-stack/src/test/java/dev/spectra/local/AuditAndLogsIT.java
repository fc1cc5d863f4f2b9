package dev.spectra.local;

import dev.spectra.common.messaging.Topics;
import dev.spectra.common.tenant.TenantId;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static dev.spectra.local.GatewayClient.acceptedJobId;
import static dev.spectra.local.GatewayClient.Answer;
import static dev.spectra.local.GatewayClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail and the logs of a whole run: requests with good, expired, malformed and wrong-tenant tokens of two
 * tenants leave one audit record per decision on {@code spectra.audit}, no token or secret in any log file of the run,
 * and one job's lines in all three services share one trace id, which its Kafka records carry as {@code traceparent}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditAndLogsIT {

    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";
    private static final String PAGE_TOKEN_SECRET = "it-page-token-secret-" + UUID.randomUUID();
    private static final String PARAMETER_VALUE = "EU-" + UUID.randomUUID();
    private static final String GROUPED = "SELECT region, SUM(amount) AS revenue FROM sales WHERE region <> :region GROUP BY region";
    private static final String FAILING = "SELECT 1 / (COUNT(*) - COUNT(*)) AS boom FROM sales";
    private static final String SLOW = "SELECT COUNT(*) FROM generate_series(1, 2000000000) AS g WHERE g <> 7";
    private static final String REFUSED = "DROP TABLE sales";
    private static final Duration JOB_DEADLINE = Duration.ofSeconds(60);
    private static final List<String> SERVICES = LocalStack.SERVICE_MODULES;

    private LocalStack stack;
    private GatewayClient gateway;
    /** Every token this run used, valid or not: none may appear in any log. */
    private final List<String> tokensUsed = new ArrayList<>();

    @BeforeAll
    void startTheStack() {
        Path root = TestRepository.root();
        stack = LocalStack.start(new LocalStackSettings(root, root.resolve("local-stack/target/it-audit"), FreePorts.next())
                .withServiceProperties(LocalStack.GATEWAY_MODULE, "spectra.gateway.queries.page-token-secret=" + PAGE_TOKEN_SECRET));
        gateway = new GatewayClient(stack.gatewayUrl());
    }

    @AfterAll
    void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyDecisionLeavesOneAuditRecordAndNoTokenOrSecretReachesAnyLog() {
        Instant start = Instant.now().minusSeconds(1);
        String acme = token(stack.tokens().tokenFor(TenantId.of(ACME)));
        String globex = token(stack.tokens().tokenFor(TenantId.of(GLOBEX)));
        String expired = token(stack.tokens().sign(ACME, Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1)));
        String malformed = token(acme.substring(0, acme.lastIndexOf('.')) + ".c2lnbmF0dXJlLW9mLW5vYm9keQ");

        String succeeded = acceptedJobId(gateway.submitRaw(acme, ACME, JSON.writeValueAsString(Map.of("sql", GROUPED,
                "parameters", List.of(Map.of("name", "region", "value", PARAMETER_VALUE))))));
        String failed = acceptedJobId(gateway.submit(globex, GLOBEX, FAILING));
        String cancelled = acceptedJobId(gateway.submit(acme, ACME, SLOW));
        assertThat(gateway.awaitEnd(acme, ACME, succeeded, JOB_DEADLINE)).isEqualTo("SUCCEEDED");
        assertThat(gateway.awaitEnd(globex, GLOBEX, failed, JOB_DEADLINE)).isEqualTo("FAILED");
        assertThat(gateway.post(acme, ACME, "/v1/queries/" + cancelled + "/cancel").status()).isEqualTo(200);
        assertThat(gateway.post(acme, ACME, "/v1/queries/" + cancelled + "/cancel").status()).isEqualTo(409);
        assertThat(gateway.submit(expired, ACME, "SELECT 1").status()).isEqualTo(401);
        assertThat(gateway.submit(malformed, ACME, "SELECT 1").status()).isEqualTo(401);
        assertThat(gateway.submit(acme, GLOBEX, "SELECT 1").status()).isEqualTo(403);
        assertThat(gateway.submit(globex, GLOBEX, REFUSED).status()).isEqualTo(400);
        Answer page = gateway.list(acme, ACME, "limit=1");
        assertThat(page.status()).isEqualTo(200);
        token(page.text("next_page_token"));

        List<JsonNode> records = auditRecordsSince(start, found -> found.stream().filter(record -> is(record, "ENDED")).count() >= 3
                && found.stream().filter(record -> is(record, "REFUSED")).count() >= 5);

        assertThat(records.stream().filter(record -> is(record, "ACCEPTED")).map(record -> text(record, "jobId")))
                .containsExactlyInAnyOrder(succeeded, failed, cancelled);
        JsonNode acceptedRecord = only(records, "ACCEPTED", succeeded);
        assertThat(acceptedRecord.get("actor").get("subject").asString()).isEqualTo("demo-app@acme");
        assertThat(acceptedRecord.get("actor").get("clientId").asString()).isEqualTo(LocalTokens.CLIENT_ID);
        assertThat(acceptedRecord.get("tenant").get("id").asString()).isEqualTo(ACME);
        assertThat(acceptedRecord.get("tenant").get("verified").asBoolean()).isTrue();
        assertThat(text(acceptedRecord, "sqlSha256")).isEqualTo(sha256(GROUPED));
        assertThat(text(acceptedRecord, "source")).isEqualTo("127.0.0.1");
        assertThat(text(acceptedRecord, "traceId")).matches("[0-9a-f]{32}");

        assertThat(text(only(records, "ENDED", succeeded), "jobStatus")).isEqualTo("SUCCEEDED");
        assertThat(text(only(records, "ENDED", failed), "jobStatus")).isEqualTo("FAILED");
        assertThat(text(only(records, "ENDED", failed), "errorCode")).isEqualTo("QUERY_FAILED");
        assertThat(only(records, "ENDED", failed).get("tenant").get("id").asString()).isEqualTo(GLOBEX);
        assertThat(text(only(records, "ENDED", cancelled), "jobStatus")).isEqualTo("CANCELLED");
        assertThat(text(only(records, "CANCELLED", cancelled), "jobStatus")).isEqualTo("CANCELLED");
        assertThat(only(records, "CANCELLED", cancelled).get("actor").get("subject").asString()).isEqualTo("demo-app@acme");

        List<JsonNode> refusals = records.stream().filter(record -> is(record, "REFUSED")).toList();
        assertThat(refusals).extracting(record -> text(record, "errorCode") + " " + record.get("status").asInt())
                .containsExactlyInAnyOrder("JOB_ALREADY_ENDED 409", "UNAUTHENTICATED 401", "UNAUTHENTICATED 401",
                        "TENANT_MISMATCH 403", "SQL_NOT_READ_ONLY 400");
        JsonNode mismatch = refusals.stream().filter(record -> text(record, "errorCode").equals("TENANT_MISMATCH")).findFirst().orElseThrow();
        assertThat(mismatch.get("tenant").get("id").asString()).isEqualTo(GLOBEX);
        assertThat(mismatch.get("tenant").get("verified").asBoolean()).isFalse();
        assertThat(mismatch.get("actor").get("subject").asString()).isEqualTo("demo-app@acme");
        refusals.stream().filter(record -> text(record, "errorCode").equals("UNAUTHENTICATED"))
                .forEach(record -> assertThat(record.get("actor")).isNull());
        JsonNode guardRefusal = refusals.stream().filter(record -> text(record, "errorCode").equals("SQL_NOT_READ_ONLY")).findFirst().orElseThrow();
        assertThat(text(guardRefusal, "sqlSha256")).isEqualTo(sha256(REFUSED));

        String everyRecord = records.toString();
        assertThat(everyRecord).doesNotContain(GROUPED, FAILING, SLOW, REFUSED, PARAMETER_VALUE);
        tokensUsed.forEach(token -> assertThat(everyRecord).doesNotContain(token));

        Map<Path, String> logs = runLogs();
        assertThat(logs.keySet().stream().map(path -> path.getFileName().toString()))
                .contains("api-gateway-service.log", "query-worker.log", "delivery-worker.log",
                        "api-gateway-service.jsonl", "query-worker.jsonl", "delivery-worker.jsonl");
        List<String> secrets = new ArrayList<>(tokensUsed);
        secrets.add(stack.tokens().secret());
        secrets.add(PAGE_TOKEN_SECRET);
        secrets.add(PARAMETER_VALUE);
        logs.forEach((file, text) -> secrets.forEach(secret -> assertThat(text)
                .as("%s must not contain a secret (%d characters starting %s...)", file, secret.length(), secret.substring(0, 6))
                .doesNotContain(secret)));
        assertThat(logs.get(stack.structuredLogOf(LocalStack.GATEWAY_MODULE)))
                .as("the audit trail's log line").contains("\"logger\":\"spectra.audit\"").contains(succeeded);
    }

    @Test
    void oneJobIsFollowedAcrossTheThreeServicesByOneTraceId() {
        String acme = token(stack.tokens().tokenFor(TenantId.of(ACME)));
        String jobId = acceptedJobId(gateway.submit(acme, ACME, "SELECT COUNT(*) AS orders FROM sales"));
        assertThat(gateway.awaitEnd(acme, ACME, jobId, JOB_DEADLINE)).isEqualTo("SUCCEEDED");

        Map<String, Set<String>> traceIdsByService = new HashMap<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String service : SERVICES) {
                traceIdsByService.put(service, traceIdsOfJobLines(service, jobId));
            }
            assertThat(traceIdsByService).allSatisfy((service, traceIds) -> assertThat(traceIds).as(service).isNotEmpty());
        });
        Set<String> all = new HashSet<>();
        traceIdsByService.values().forEach(all::addAll);
        assertThat(all).as("trace ids of job %s's lines, by service: %s", jobId, traceIdsByService).hasSize(1);
        String traceId = all.iterator().next();
        assertThat(traceId).matches("[0-9a-f]{32}");

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.QUERY_REQUESTS, Topics.STATEMENT_RESULTS));
            Map<String, String> traceparents = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value().contains(jobId)) {
                        Header header = record.headers().lastHeader("traceparent");
                        traceparents.put(record.topic(), header == null ? "none" : new String(header.value(), StandardCharsets.UTF_8));
                    }
                }
                assertThat(traceparents).containsOnlyKeys(Topics.QUERY_REQUESTS, Topics.STATEMENT_RESULTS);
            });
            assertThat(traceparents.values()).allSatisfy(traceparent -> assertThat(traceparent).startsWith("00-" + traceId + "-"));
        }
    }

    /**
     * The trace ids of the service's JSON log lines that name the job, each of which must carry the job's and its
     * tenant's ids as fields, whatever its message says.
     */
    private Set<String> traceIdsOfJobLines(String service, String jobId) {
        Set<String> traceIds = new HashSet<>();
        for (String line : lines(stack.structuredLogOf(service))) {
            if (!line.contains(jobId)) {
                continue;
            }
            JsonNode json = JSON.readTree(line);
            if ("spectra.audit".equals(json.get("log").get("logger").asString())) {
                continue;
            }
            assertThat(text(json, "jobId")).as("job field of %s's line %s", service, line).isEqualTo(jobId);
            assertThat(text(json, "tenantId")).as("tenant field of %s's line %s", service, line).isEqualTo(ACME);
            String traceId = text(json, "traceId");
            traceIds.add(traceId == null ? "none" : traceId);
        }
        return traceIds;
    }

    /** The audit records written from {@code start} on, read until {@code complete} holds for them. */
    private List<JsonNode> auditRecordsSince(Instant start, Predicate<List<JsonNode>> complete) {
        List<JsonNode> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.AUDIT));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode json = JSON.readTree(record.value());
                    JsonNode tenant = json.get("tenant");
                    assertThat(record.key()).as("keyed by tenant").isEqualTo(tenant == null ? null : tenant.get("id").asString());
                    if (!Instant.parse(text(json, "occurredAt")).isBefore(start)) {
                        records.add(json);
                    }
                }
                return complete.test(records);
            });
        }
        return records;
    }

    private static JsonNode only(List<JsonNode> records, String decision, String jobId) {
        List<JsonNode> matching = records.stream().filter(record -> is(record, decision) && jobId.equals(text(record, "jobId"))).toList();
        assertThat(matching).as("%s records of job %s in %s", decision, jobId, records).hasSize(1);
        return matching.getFirst();
    }

    private static boolean is(JsonNode record, String decision) {
        return decision.equals(text(record, "decision"));
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asString();
    }

    private String token(String token) {
        tokensUsed.add(token);
        return token;
    }

    /** Every file the run logged to: the services' consoles and JSON logs, S3Mock's, the brokers'. */
    private Map<Path, String> runLogs() {
        Map<Path, String> logs = new HashMap<>();
        try (Stream<Path> files = Files.walk(stack.logDirectory())) {
            files.filter(Files::isRegularFile).forEach(file -> logs.put(file, String.join("\n", lines(file))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return logs;
    }

    private static List<String> lines(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private KafkaConsumer<String, String> consumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(properties);
    }
}
