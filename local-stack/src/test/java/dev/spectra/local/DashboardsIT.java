package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import dev.spectra.local.GatewayClient.Answer;
import dev.spectra.local.GrafanaDashboards.Query;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static dev.spectra.local.GatewayClient.acceptedJobId;
import static dev.spectra.local.GatewayClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every panel of every dashboard in {@code deploy/grafana/dashboards/} shows data from a real run: the local stack, a
 * real Prometheus scraping its three services ({@link LocalPrometheus}), and a little traffic of every kind the panels
 * chart (successes for two tenants, one of them waited for, a warehouse failure, a refused statement, a cancelled
 * statement, an S3 export, a rate-limit burst). Each target's expression, with Grafana's variables substituted, must parse and return at least one
 * series through Prometheus's HTTP API; the test names every panel that does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardsIT {

    private static final Logger log = LoggerFactory.getLogger(DashboardsIT.class);
    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";
    private static final String GROUPED = "SELECT region, SUM(amount) AS revenue FROM sales GROUP BY region";
    private static final String FAILING = "SELECT 1 / (COUNT(*) - COUNT(*)) AS boom FROM sales";
    private static final String SLOW = "SELECT COUNT(*) FROM generate_series(1, 300000000) AS g";
    private static final String REFUSED = "DROP TABLE sales";
    private static final String EXPORTED = "SELECT g, g * 2 AS doubled FROM generate_series(1, 20000) AS g";
    /** The gateway's token bucket holds 20 and refills 10 a second: 60 at once run it dry. */
    private static final int BURST = 60;
    private static final Duration JOB_DEADLINE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private LocalStack stack;
    private LocalPrometheus prometheus;
    private GatewayClient gateway;

    @BeforeAll
    void startTheStackAndPrometheus() {
        if (LocalPrometheus.installed().isEmpty()) {
            return; // the test skips, saying why: a skip in @BeforeAll would be reported as no test at all
        }
        Path root = TestRepository.root();
        LocalStackSettings settings = new LocalStackSettings(root, root.resolve("local-stack/target/it-dashboards"), FreePorts.next());
        stack = LocalStack.start(settings);
        prometheus = LocalPrometheus.start(settings, stack.managementEndpoints());
        gateway = new GatewayClient(stack.gatewayUrl());
    }

    @AfterAll
    void stopThem() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyPanelOfEveryDashboardReturnsDataFromARunningStack() {
        assumeTrue(prometheus != null, "prometheus is not on the PATH: install Debian's prometheus package (./spectra test does)");
        List<Query> queries = GrafanaDashboards.allQueries();
        assertThat(queries).isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(targetHealth()).as("Prometheus's targets")
                        .hasSize(stack.managementEndpoints().size()).allSatisfy((target, health) -> assertThat(health).as(target).isEqualTo("up")));

        driveTrafficOfEveryKind();

        // A rate needs two samples of a series in its window; series that only the last requests created need a few
        // more scrapes. Past that, a panel still without data has a query that matches nothing.
        Map<Query, String> withoutData = new LinkedHashMap<>();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(LocalPrometheus.SCRAPE_INTERVAL).until(() -> {
                withoutData.clear();
                withoutData.putAll(queriesWithoutData(queries));
                return withoutData.isEmpty();
            });
        } catch (ConditionTimeoutException stillWithoutData) {
            // reported below, naming each panel
        }
        List<String> failures = new ArrayList<>();
        withoutData.forEach((query, why) -> failures.add(query + ": " + why + System.lineSeparator() + "    " + query.evaluable()));
        assertThat(failures).as("panels whose query errs or returns no series (Prometheus at %s)", prometheus.url()).isEmpty();
        log.info("All {} queries of {} dashboards returned data", queries.size(), GrafanaDashboards.all().size());
    }

    private void driveTrafficOfEveryKind() {
        String acme = stack.tokens().tokenFor(TenantId.of(ACME));
        String globex = stack.tokens().tokenFor(TenantId.of(GLOBEX));

        String slow = acceptedJobId(gateway.submit(acme, ACME, SLOW));
        List<String> succeeding = List.of(acceptedJobId(gateway.submit(acme, ACME, GROUPED)), acceptedJobId(gateway.submit(globex, GLOBEX, GROUPED)));
        String failing = acceptedJobId(gateway.submit(globex, GLOBEX, FAILING));
        String exported = acceptedJobId(gateway.submitRaw(acme, ACME,
                JSON.writeValueAsString(Map.of("sql", EXPORTED, "disposition", "EXTERNAL_LINKS", "format", "CSV"))));
        assertThat(gateway.submit(globex, GLOBEX, REFUSED).status()).isEqualTo(400);

        await().atMost(JOB_DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> "RUNNING".equals(gateway.status(acme, ACME, slow).text("status")));
        // Cancelled under its worker, the job also gives the failure panels their series: the worker's compare-and-set
        // on it is refused (a DynamoDB PutItem client_error) and it stops following it (ended_elsewhere).
        assertThat(gateway.post(acme, ACME, "/v1/queries/" + slow + "/cancel").status()).isEqualTo(200);

        assertThat(gateway.awaitEnd(acme, ACME, succeeding.get(0), JOB_DEADLINE)).isEqualTo("SUCCEEDED");
        assertThat(gateway.awaitEnd(globex, GLOBEX, succeeding.get(1), JOB_DEADLINE)).isEqualTo("SUCCEEDED");
        assertThat(gateway.awaitEnd(globex, GLOBEX, failing, JOB_DEADLINE)).isEqualTo("FAILED");
        assertThat(gateway.awaitEnd(acme, ACME, exported, JOB_DEADLINE)).isEqualTo("SUCCEEDED");
        assertThat(gateway.awaitEnd(acme, ACME, slow, JOB_DEADLINE)).isEqualTo("CANCELLED");
        // A submission that waits for its job: the gateway's wait panel.
        assertThat(gateway.submitRaw(globex, GLOBEX, JSON.writeValueAsString(Map.of("sql", GROUPED, "wait_seconds", 30))).status())
                .as("a submission that waited for its job to end").isEqualTo(200);
        assertThat(gateway.results(acme, ACME, succeeding.get(0)).status()).isEqualTo(200);
        assertThat(gateway.results(acme, ACME, exported).status()).isEqualTo(200);

        List<Integer> burst;
        try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Integer>> answers = IntStream.range(0, BURST)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> gateway.submit(acme, ACME, "SELECT 1 AS one").status(), submitters))
                    .toList();
            burst = answers.stream().map(CompletableFuture::join).toList();
        }
        assertThat(burst).as("answers to %d submissions at once", BURST).contains(202, 429);
    }

    /** Each query that errs or returns no series, with what Prometheus said. */
    private Map<Query, String> queriesWithoutData(List<Query> queries) {
        Map<Query, String> withoutData = new LinkedHashMap<>();
        for (Query query : queries) {
            JsonNode answer = prometheusApi("/api/v1/query?query=" + URLEncoder.encode(query.evaluable(), StandardCharsets.UTF_8));
            if (!answer.path("status").asString("").equals("success")) {
                withoutData.put(query, answer.path("errorType").asString("") + ": " + answer.path("error").asString(answer.toString()));
            } else if (answer.path("data").path("result").isEmpty()) {
                withoutData.put(query, "no series");
            }
        }
        return withoutData;
    }

    /** Each active target's instance label and health. */
    private Map<String, String> targetHealth() {
        Map<String, String> health = new LinkedHashMap<>();
        prometheusApi("/api/v1/targets?state=active").path("data").path("activeTargets").forEach(target ->
                health.put(target.path("labels").path("instance").asString(""), target.path("health").asString("")));
        return health;
    }

    private JsonNode prometheusApi(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(prometheus.url() + pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new IllegalStateException("Prometheus did not answer " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
