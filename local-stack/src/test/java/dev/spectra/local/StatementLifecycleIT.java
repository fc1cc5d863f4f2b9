package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import dev.spectra.local.GatewayClient.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.spectra.local.GatewayClient.acceptedJobId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The statement lifecycle on the whole local stack, as a client sees it over HTTP and as the warehouse sees it in its
 * own {@code pg_stat_activity}: cancelling a running and a queued job, a job's own timeout, parameters with NULL, and
 * the list paging through hundreds of jobs. Each test makes its own jobs, told apart by a marker in their SQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatementLifecycleIT {

    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Minutes of counting unless stopped. */
    private static final String SLOW = "SELECT COUNT(*) FROM generate_series(1, 2000000000) AS g WHERE g <> ";

    private LocalStack stack;
    private GatewayClient gateway;
    private String acmeToken;
    private String globexToken;

    @BeforeAll
    void startTheStack() {
        Path root = TestRepository.root();
        stack = LocalStack.start(new LocalStackSettings(root, root.resolve("local-stack/target/statement-lifecycle-stack"), FreePorts.next())
                .withTenantConcurrency(TenantId.of(GLOBEX), 1)
                .withServiceProperties("api-gateway-service", "spectra.gateway.rate-limit.capacity=1000",
                        "spectra.gateway.rate-limit.refill-per-second=1000"));
        gateway = new GatewayClient(stack.gatewayUrl());
        acmeToken = stack.tokens().tokenFor(TenantId.of(ACME));
        globexToken = stack.tokens().tokenFor(TenantId.of(GLOBEX));
    }

    @AfterAll
    void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aCancelledRunningQueryIsGoneFromTheWarehouseWithinSeconds() throws Exception {
        String marker = marker();
        String jobId = acceptedJobId(submit(acmeToken, ACME, Map.of("sql", SLOW + marker)));
        await().atMost(Duration.ofSeconds(60)).until(() -> activeQueries(marker) == 1);

        Answer cancelled = gateway.post(acmeToken, ACME, "/v1/queries/" + jobId + "/cancel");
        Instant cancelledAt = Instant.now();

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> activeQueries(marker) == 0);
        Duration gone = Duration.between(cancelledAt, Instant.now());
        assertThat(gone).as("the statement left the warehouse %s after the cancel", gone).isLessThan(Duration.ofSeconds(3));
        // The worker that ran it does not overwrite the client's ending.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> "CANCELLED".equals(gateway.status(acmeToken, ACME, jobId).text("status")));
        Answer again = gateway.post(acmeToken, ACME, "/v1/queries/" + jobId + "/cancel");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("code")).isEqualTo("JOB_ALREADY_ENDED");
        assertThat(again.text("job_status")).isEqualTo("CANCELLED");
    }

    @Test
    void aJobCancelledWhileQueuedNeverReachesTheWarehouse() throws Exception {
        String first = marker();
        String second = marker();
        // globex runs one statement at a time: the second job waits for the first.
        String running = acceptedJobId(submit(globexToken, GLOBEX, Map.of("sql", SLOW + first)));
        await().atMost(Duration.ofSeconds(60)).until(() -> activeQueries(first) == 1);
        String queued = acceptedJobId(submit(globexToken, GLOBEX, Map.of("sql", SLOW + second)));
        AtomicBoolean secondSeen = watchFor(second, Duration.ofSeconds(8));

        assertThat(gateway.status(globexToken, GLOBEX, queued).text("status")).isEqualTo("QUEUED");
        assertThat(gateway.post(globexToken, GLOBEX, "/v1/queries/" + queued + "/cancel").status()).isEqualTo(200);
        assertThat(gateway.post(globexToken, GLOBEX, "/v1/queries/" + running + "/cancel").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> activeQueries(first) == 0);
        // The watch runs on while the second job's turn comes and goes.
        await("the cancelled queued job's statement never appears in the warehouse")
                .during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).until(() -> !secondSeen.get());
        assertThat(gateway.status(globexToken, GLOBEX, queued).text("status")).isEqualTo("CANCELLED");
    }

    @Test
    void aJobPastItsOwnTimeoutEndsTimedOutAndItsStatementIsCancelled() {
        String marker = marker();
        String jobId = acceptedJobId(submit(acmeToken, ACME, Map.of("sql", SLOW + marker, "timeout_seconds", 3)));

        await().atMost(Duration.ofSeconds(20)).until(() -> "TIMED_OUT".equals(gateway.status(acmeToken, ACME, jobId).text("status")));

        Answer status = gateway.status(acmeToken, ACME, jobId);
        assertThat(status.json().get("timeout_seconds").asInt()).isEqualTo(3);
        assertThat(status.json().get("error").get("code").asString()).isEqualTo("QUERY_TIMED_OUT");
        await().atMost(Duration.ofSeconds(5)).until(() -> activeQueries(marker) == 0);
    }

    @Test
    void aParameterisedQueryBindsValuesAndANullParameterSelectsTheRightRows() {
        String sql = "SELECT COUNT(*) AS n, MAX(:label) AS label FROM generate_series(1, 10) AS g WHERE (:max IS NULL OR g <= :max)";
        String hostile = "it's'; DROP TABLE sales; --";

        JsonNode all = resultOf(acmeToken, ACME, Map.of("sql", sql, "parameters", List.of(
                Map.of("name", "label", "value", hostile),
                parameter("max", null, "INT"))));
        JsonNode three = resultOf(acmeToken, ACME, Map.of("sql", sql, "parameters", List.of(
                Map.of("name", "label", "value", "three"),
                parameter("max", 3, "INT"))));

        assertThat(all.get("rows").get(0).get(0).asLong()).isEqualTo(10);
        assertThat(all.get("rows").get(0).get(1).asString()).isEqualTo(hostile);
        assertThat(three.get("rows").get(0).get(0).asLong()).isEqualTo(3);
        Answer missing = submit(acmeToken, ACME, Map.of("sql", sql));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text("code")).isEqualTo("PARAMETER_INVALID");
    }

    @Test
    void theListPagesThroughTwoHundredAndFiftyJobsNewestFirstWithNoDuplicatesAndNoGaps() {
        String name = "listing-" + UUID.randomUUID();
        Instant start = Instant.now();
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            submitted.add(acceptedJobId(submit(acmeToken, ACME, Map.of("sql", "SELECT " + i, "name", name))));
        }

        List<String> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String path = "/v1/queries?limit=100&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                    + "&submitted_after=" + start.minusSeconds(1) + (token == null ? "" : "&page_token=" + token);
            Answer page = gateway.chunk(acmeToken, ACME, path);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("jobs").forEach(job -> listed.add(job.get("job_id").asString()));
            token = page.text("next_page_token");
            pages++;
        } while (token != null && pages < 10);

        assertThat(listed).hasSize(250).doesNotHaveDuplicates();
        assertThat(listed).isEqualTo(submitted.reversed());
        assertThat(new HashSet<>(listed)).isEqualTo(new HashSet<>(submitted));
        Answer globexView = gateway.chunk(globexToken, GLOBEX, "/v1/queries?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        assertThat(globexView.json().get("jobs")).isEmpty();
    }

    @Test
    void aSelectOneWithAWaitAnswersSucceededWithItsRowsInOneRoundTrip() {
        Answer answer = submit(acmeToken, ACME, Map.of("sql", "SELECT 1 AS one", "wait_seconds", 10));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.text("status")).isEqualTo("SUCCEEDED");
        assertThat(answer.json().get("result").get("rows").get(0).get(0).asInt()).isEqualTo(1);
        assertThat(answer.json().get("result").get("columns").get(0).get("name").asString()).isEqualTo("one");
    }

    @Test
    void aRetriedPostWithTheSameIdempotencyKeyReturnsTheSameJobAndTheWarehouseRunsItOnce() throws Exception {
        String name = "idempotent-" + UUID.randomUUID();
        String key = "key-" + UUID.randomUUID();
        String body = JSON.writeValueAsString(Map.of("sql", "SELECT COUNT(*) FROM generate_series(1, 1000)", "name", name));
        List<Answer> concurrent = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> posts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            posts.add(Thread.ofVirtual().start(() -> concurrent.add(gateway.submitWithKey(acmeToken, ACME, body, key))));
        }
        for (Thread post : posts) {
            post.join();
        }
        Answer retry = gateway.submitWithKey(acmeToken, ACME, body, key);
        Answer other = gateway.submitWithKey(acmeToken, ACME, JSON.writeValueAsString(Map.of("sql", "SELECT 2")), key);

        assertThat(concurrent).extracting(Answer::status).containsExactlyInAnyOrder(202, 200);
        assertThat(concurrent).extracting(answer -> answer.text("job_id")).containsOnly(retry.text("job_id"));
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.headers().get("idempotent-replayed")).isEqualTo("true");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.text("code")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        Answer listed = gateway.chunk(acmeToken, ACME, "/v1/queries?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        assertThat(listed.json().get("jobs")).as("jobs recorded, and so statements run, for the key").hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(gateway.status(acmeToken, ACME, retry.text("job_id")).text("status")));
    }

    @Test
    void theEventStreamShowsQueuedRunningDeliveringSucceeded() throws Exception {
        // globex runs one statement at a time: the watched job waits QUEUED behind a slow one until that is cancelled.
        String blocker = marker();
        String blocking = acceptedJobId(submit(globexToken, GLOBEX, Map.of("sql", SLOW + blocker)));
        await().atMost(Duration.ofSeconds(60)).until(() -> activeQueries(blocker) == 1);
        String jobId = acceptedJobId(submit(globexToken, GLOBEX, Map.of("sql", "SELECT COUNT(*) AS n FROM generate_series(1, 100000)")));
        List<String> data = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() ->
                gateway.eventData(globexToken, GLOBEX, "/v1/queries/" + jobId + "/events", Duration.ofSeconds(60), data));
        await().atMost(Duration.ofSeconds(10)).until(() -> data.size() == 1); // the stream is open and shows QUEUED

        assertThat(gateway.post(globexToken, GLOBEX, "/v1/queries/" + blocking + "/cancel").status()).isEqualTo(200);
        reader.join(Duration.ofSeconds(60));

        List<String> states = data.stream().map(line -> JSON.readTree(line).get("status").asString()).toList();
        assertThat(states).containsExactly("QUEUED", "RUNNING", "DELIVERING", "SUCCEEDED");
    }

    @Test
    void aJobCancelledWhileItsResultIsDeliveredIsNeverDelivered() {
        String jobId = acceptedJobId(submit(acmeToken, ACME, Map.of("sql", "SELECT g, g * 2 AS twice, 'row ' || g AS label "
                + "FROM generate_series(1, 600000) AS g", "disposition", "EXTERNAL_LINKS", "format", "JSON_LINES")));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> "DELIVERING".equals(gateway.status(acmeToken, ACME, jobId).text("status")));

        Answer cancelled = gateway.post(acmeToken, ACME, "/v1/queries/" + jobId + "/cancel");

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                .until(() -> "CANCELLED".equals(gateway.status(acmeToken, ACME, jobId).text("status")));
        Answer results = gateway.results(acmeToken, ACME, jobId);
        assertThat(results.status()).isEqualTo(409);
        assertThat(results.text("job_status")).isEqualTo("CANCELLED");
    }

    private JsonNode resultOf(String token, String tenant, Map<String, Object> body) {
        String jobId = acceptedJobId(submit(token, tenant, body));
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(gateway.status(token, tenant, jobId).text("status"))
                || terminal(gateway.status(token, tenant, jobId).text("status")));
        Answer status = gateway.status(token, tenant, jobId);
        assertThat(status.text("status")).as(status.body()).isEqualTo("SUCCEEDED");
        return gateway.results(token, tenant, jobId).json();
    }

    private static boolean terminal(String status) {
        return Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(status);
    }

    private static Map<String, Object> parameter(String name, Object value, String type) {
        Map<String, Object> parameter = new java.util.LinkedHashMap<>();
        parameter.put("name", name);
        parameter.put("value", value);
        parameter.put("type", type);
        return parameter;
    }

    private Answer submit(String token, String tenant, Map<String, Object> body) {
        return gateway.submitRaw(token, tenant, JSON.writeValueAsString(body));
    }

    /** Samples the warehouse for {@code marker} on a thread of its own for {@code during}; true once it was seen. */
    private AtomicBoolean watchFor(String marker, Duration during) {
        AtomicBoolean seen = new AtomicBoolean();
        Instant until = Instant.now().plus(during).plusSeconds(8);
        Thread.ofVirtual().start(() -> {
            while (Instant.now().isBefore(until)) {
                try {
                    if (activeQueries(marker) > 0) {
                        seen.set(true);
                    }
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        });
        return seen;
    }

    private int activeQueries(String marker) throws SQLException {
        try (Connection admin = stack.warehouse().administratorDataSource().getConnection();
             Statement sql = admin.createStatement();
             ResultSet rows = sql.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%g <> " + marker
                     + "%' AND query NOT LIKE '%pg_stat_activity%'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** A number no other job uses, so a test finds its own statements. */
    private static String marker() {
        return Long.toString(1_000_000_000L + (long) (Math.random() * 900_000_000L));
    }

}
