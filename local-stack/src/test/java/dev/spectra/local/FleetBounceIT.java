package dev.spectra.local;

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
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.spectra.local.GatewayClient.Answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The short bounce test (the full-size one is in {@code bench/}): a fleet of two query workers and two
 * delivery workers runs jobs of two tenants while one of each is killed with SIGKILL mid-run and started
 * again. Every job must end exactly once, SUCCEEDED, with its own tenant's result, and its SQL must have
 * reached the warehouse exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetBounceIT {

    private static final int JOBS = Integer.getInteger("spectra.bounce.jobs", 40);
    private static final Duration ALL_DONE_WITHIN = Duration.ofMinutes(3);
    private static final List<String> TENANTS = List.of("acme", "globex");

    private LocalStack stack;
    private GatewayClient gateway;
    private final Map<String, String> tokens = new HashMap<>();

    @BeforeAll
    void startAFleet() {
        Path root = TestRepository.root();
        stack = LocalStack.start(new LocalStackSettings(root, root.resolve("local-stack/target/bounce-stack"), FreePorts.next()));
        stack.startAnother("query-worker");
        stack.startAnother("delivery-worker");
        gateway = new GatewayClient(stack.gatewayUrl());
        TENANTS.forEach(tenant -> tokens.put(tenant, stack.tokens().tokenFor(TenantId.of(tenant))));
    }

    @AfterAll
    void stopTheFleet() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyJobEndsOnceAndRunsItsSqlOnceWhileWorkersAreKilledAndRestarted() throws Exception {
        Map<String, Integer> rowsPerTenant = seededRows();
        Map<String, Submitted> submitted = new ConcurrentHashMap<>();
        Instant started = Instant.now();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> submissions = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            int number = i;
            submissions.add(clients.submit(() -> {
                Submitted job = submit(number);
                submitted.put(job.jobId(), job);
            }));
            if (i == JOBS / 3) {
                // Mid-run: some jobs are running, some delivering, some not yet submitted.
                await().atMost(Duration.ofSeconds(30)).until(() -> submitted.size() >= JOBS / 4);
                stack.kill("query-worker");
                stack.kill("delivery-worker-2");
            }
        }
        for (Future<?> submission : submissions) {
            submission.get();
        }
        clients.shutdown();
        stack.restart("query-worker");
        stack.restart("delivery-worker-2");

        Map<String, String> endings = new HashMap<>();
        await().atMost(ALL_DONE_WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (Submitted job : submitted.values()) {
                if (!endings.containsKey(job.jobId())) {
                    String status = gateway.status(tokens.get(job.tenant()), job.tenant(), job.jobId()).text("status");
                    if (List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(status)) {
                        endings.put(job.jobId(), status);
                    }
                }
            }
            return endings.size() == JOBS;
        });
        Duration took = Duration.between(started, Instant.now());

        assertThat(endings.values()).as("every job's ending").containsOnly("SUCCEEDED");
        for (Submitted job : submitted.values()) {
            assertThat(stack.warehouseExecutionsOf(job.sql())).as("times job %d's SQL reached the warehouse", job.number())
                    .isEqualTo(1);
            JsonNode row = gateway.results(tokens.get(job.tenant()), job.tenant(), job.jobId()).json().get("rows").get(0);
            assertThat(row.get(0).asLong()).isEqualTo(job.number());
            assertThat(row.get(1).asLong()).as("job %d counts its own tenant's rows only", job.number())
                    .isEqualTo(rowsPerTenant.get(job.tenant()).longValue());
        }
        Map<String, List<String>> terminalEvents = terminalEvents(submitted.keySet());
        assertThat(terminalEvents).hasSize(JOBS)
                .allSatisfy((jobId, statuses) -> assertThat(statuses).as("terminal events of job %s", jobId).containsExactly("SUCCEEDED"));
        System.out.printf("bounce: %d jobs of %d tenants, 2 query and 2 delivery workers, one of each killed and restarted;"
                + " all SUCCEEDED in %d s, each SQL executed once, one terminal event each%n", JOBS, TENANTS.size(), took.toSeconds());
    }

    /** Job {@code number}'s own SQL text, unique per job, canonical as the guard writes it (so the warehouse sees it verbatim). */
    private Submitted submit(int number) {
        String tenant = TENANTS.get(number % TENANTS.size());
        String sql = "SELECT " + number + " AS job, count(*) AS orders FROM sales WHERE order_id > " + (-number)
                + " AND amount > (SELECT count(*) FROM generate_series(1, 3000000)) - 3000000";
        Answer answer = new TenantClient(gateway, tenant, tokens.get(tenant), null, null).submit(sql);
        assertThat(answer.status()).as("submission %d: %s", number, answer.body()).isEqualTo(202);
        return new Submitted(number, tenant, answer.text("job_id"), sql);
    }

    private record Submitted(int number, String tenant, String jobId, String sql) {
    }

    private Map<String, Integer> seededRows() throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection admin = stack.warehouse().administratorDataSource().getConnection();
             Statement sql = admin.createStatement();
             ResultSet counts = sql.executeQuery("SELECT tenant_id, count(*) FROM sales GROUP BY tenant_id")) {
            while (counts.next()) {
                rows.put(counts.getString(1), counts.getInt(2));
            }
        }
        return rows;
    }

    /** Every job's terminal JobEvents, in the order the topic holds them. */
    private Map<String, List<String>> terminalEvents(java.util.Set<String> jobIds) {
        Map<String, List<String>> events = new HashMap<>();
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bounce-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_EVENTS));
            Instant until = Instant.now().plusSeconds(15);
            boolean sawAll = false;
            while (Instant.now().isBefore(until)) {
                boolean extraPoll = sawAll;
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = GatewayClient.JSON.readTree(record.value());
                    String jobId = event.get("jobId").asString();
                    String status = event.get("status").asString();
                    if (jobIds.contains(jobId) && List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(status)) {
                        events.computeIfAbsent(jobId, ignored -> new ArrayList<>()).add(status);
                    }
                }
                if (extraPoll) {
                    // One more poll after all were seen, so that a duplicate right behind one is counted too.
                    break;
                }
                sawAll = events.size() == jobIds.size();
            }
        }
        return events;
    }
}
