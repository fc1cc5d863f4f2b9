package dev.spectra.local;

import dev.spectra.common.messaging.Topics;
import dev.spectra.common.tenant.TenantId;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.spectra.local.GatewayClient.Answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jobs of the bounce tests, on one stack: job {@code n} belongs to acme or globex in turn and has SQL of
 * its own, so that its executions can be counted in the warehouse and its result checked against its tenant's
 * rows. Also reads the job-events topic and the services' metrics.
 */
final class BounceJobs {

    static final List<String> TENANTS = List.of("acme", "globex");
    static final List<String> TERMINAL = List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

    /** A job the gateway accepted. */
    record Job(int number, String tenant, String jobId, String sql) {
    }

    private final LocalStack stack;
    private final GatewayClient gateway;
    private final Map<String, String> tokens = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    BounceJobs(LocalStack stack) {
        this.stack = stack;
        this.gateway = new GatewayClient(stack.gatewayUrl());
        TENANTS.forEach(tenant -> tokens.put(tenant, stack.tokens().tokenFor(TenantId.of(tenant))));
    }

    static String tenantOf(int number) {
        return TENANTS.get(number % TENANTS.size());
    }

    /**
     * Job {@code number}'s own SQL text, canonical as the guard writes it (so the warehouse sees it verbatim);
     * the subquery makes it take a moment, so that jobs are in flight when a process is killed.
     */
    static String sqlOf(int number) {
        return "SELECT " + number + " AS job, count(*) AS orders FROM sales WHERE order_id > " + (-number)
                + " AND amount > (SELECT count(*) FROM generate_series(1, 3000000)) - 3000000";
    }

    /** The gateway's first answer to job {@code number} other than 429. */
    Answer trySubmit(int number) {
        String tenant = tenantOf(number);
        return new TenantClient(gateway, tenant, tokens.get(tenant), null, null).submit(sqlOf(number));
    }

    /** Submits job {@code number}, which must be accepted. */
    Job submit(int number) {
        Answer answer = trySubmit(number);
        assertThat(answer.status()).as("submission %d: %s", number, answer.body()).isEqualTo(202);
        return new Job(number, tenantOf(number), answer.text("job_id"), sqlOf(number));
    }

    String status(String tenant, String jobId) {
        return gateway.status(tokens.get(tenant), tenant, jobId).text("status");
    }

    /** Polls every job's status until all have ended; their endings by job id. */
    Map<String, String> awaitEnded(Collection<Job> jobs, Duration within) {
        Map<String, String> endings = new HashMap<>();
        await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (Job job : jobs) {
                if (!endings.containsKey(job.jobId())) {
                    String status = status(job.tenant(), job.jobId());
                    if (TERMINAL.contains(status)) {
                        endings.put(job.jobId(), status);
                    }
                }
            }
            return endings.size() == jobs.size();
        });
        return endings;
    }

    /** Every job SUCCEEDED, its SQL reached the warehouse once, its result is its tenant's, it has one terminal event. */
    void assertEachRanOnceWithItsOwnResult(Collection<Job> jobs) {
        Map<String, Integer> rowsPerTenant = seededRows();
        for (Job job : jobs) {
            assertThat(stack.warehouseExecutionsOf(job.sql())).as("times job %d's SQL reached the warehouse", job.number())
                    .isEqualTo(1);
            JsonNode row = gateway.results(tokens.get(job.tenant()), job.tenant(), job.jobId()).json().get("rows").get(0);
            assertThat(row.get(0).asLong()).isEqualTo(job.number());
            assertThat(row.get(1).asLong()).as("job %d counts its own tenant's rows only", job.number())
                    .isEqualTo(rowsPerTenant.get(job.tenant()).longValue());
        }
        Set<String> jobIds = jobs.stream().map(Job::jobId).collect(Collectors.toSet());
        assertThat(terminalEvents(jobIds)).hasSize(jobIds.size())
                .allSatisfy((jobId, statuses) -> assertThat(statuses).as("terminal events of job %s", jobId).containsExactly("SUCCEEDED"));
    }

    Map<String, Integer> seededRows() {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection admin = stack.warehouse().administratorDataSource().getConnection();
             Statement sql = admin.createStatement();
             ResultSet counts = sql.executeQuery("SELECT tenant_id, count(*) FROM sales GROUP BY tenant_id")) {
            while (counts.next()) {
                rows.put(counts.getString(1), counts.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** Every job's terminal JobEvents, in the order the topic holds them. */
    Map<String, List<String>> terminalEvents(Set<String> jobIds) {
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
                    if (jobIds.contains(jobId) && TERMINAL.contains(status)) {
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

    List<String> queryWorkers() {
        return stack.serviceInstances().stream().filter(instance -> instance.startsWith("query-worker")).sorted().toList();
    }

    /** A metric of one service instance from its /actuator/prometheus, summed over its tags; 0 when it has none yet. */
    double metric(String instance, String name) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(stack.managementEndpoints().get(instance) + "/prometheus"))
                            .timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body().lines()
                    .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
