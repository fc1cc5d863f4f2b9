package dev.spectra.bench;

import dev.spectra.common.job.JobId;
import dev.spectra.local.DemoTenant;
import dev.spectra.local.LocalStack;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast the gateway accepts work: {@code POST /v1/queries} of acme's {@code SELECT 1} from closed-loop clients
 * (each submits, waits for the 202, submits again), against {@link BareSubmitter}, the submit path's core (a
 * conditional PutItem and an acknowledged Kafka send) with the same clients, at the same concurrency. The two run in
 * alternating blocks (bare, gateway, gateway, bare), after an untimed warm-up of each. Then what a status read costs:
 * one client reads one ended job every 10 ms, through the gateway and as a bare consistent GetItem, and the gateway's
 * CPU seconds while it does are set against an idle interval of the same length.
 *
 * <p>The gateway's jobs run (the scenario waits until every one has ended); the bare ones never do and are deleted.
 */
final class Submission implements Scenario {

    static final String SQL = "SELECT 1";
    private static final int WARM_UP_PER_CLIENT = 3;
    /** Blocks of each path, in the order bare, gateway, gateway, bare: a drift in the machine's load hits both alike. */
    private static final int BLOCKS_PER_PATH = 2;
    private static final Duration DRAIN_DEADLINE = Duration.ofMinutes(20);
    private static final Duration DRAIN_RECHECK = Duration.ofMillis(250);
    private static final String GATEWAY = LocalStack.GATEWAY_MODULE;
    private static final Map<String, String> ACCEPTED_SUBMIT = Map.of("method", "POST", "uri", "/v1/queries", "status", "202");

    @Override
    public String name() {
        return "submission";
    }

    @Override
    public String description() {
        return "accepted submissions/s and POST latency from closed-loop clients vs a bare PutItem + Kafka send at the same "
                + "concurrency; one job's status read every 10 ms vs a bare GetItem, and the gateway's CPU for it vs idle";
    }

    /** One way of submitting, measured over its blocks: the accepted submissions' latencies, wall time and CPU. */
    private static final class Path {
        final List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Double> cpuSeconds = new TreeMap<>();
        double seconds;

        void addBlock(double blockSeconds, Map<String, Double> cpu) {
            seconds += blockSeconds;
            cpu.forEach((process, used) -> cpuSeconds.merge(process, used, Double::sum));
        }

        double perSecond() {
            return millis.size() / seconds;
        }

        /** CPU milliseconds {@code process} used per accepted submission, while this path's blocks ran. */
        double cpuMillisPerSubmission(String process) {
            return cpuSeconds.getOrDefault(process, 0.0) * 1000 / millis.size();
        }

        /** How many of the machine's cores were busy on average while this path's blocks ran (everything on it counted). */
        double machineBusyCores() {
            return cpuSeconds.getOrDefault(CpuTime.MACHINE, 0.0) / seconds;
        }
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        Sizes sizes = context.sizes();
        long start = System.nanoTime();
        TenantApp tenant = context.acme();
        Prometheus gateway = new Prometheus(context.http(), context.stack().managementEndpoints().get(GATEWAY));
        int clients = sizes.submitters();
        int perBlock = sizes.submissionsPerClient() / BLOCKS_PER_PATH;
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        List<JobId> bareJobs = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
        Path bare = new Path();
        Path through = new Path();
        Map<String, Double> serverSide = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        List<Comparison> comparisons = new ArrayList<>();

        try (BareSubmitter client = new BareSubmitter(context.stack().dynamoDbEndpoint(), context.stack().kafkaBootstrapServers(),
                context.stack().kafkaBrokers(), context.acmeUser(), DemoTenant.ACME.maxConcurrentQueries())) {
            Callable<Double> bareOnce = () -> {
                long sent = System.nanoTime();
                bareJobs.add(client.submit(SQL));
                return Latencies.millisSince(sent);
            };
            Callable<Double> gatewayOnce = () -> gatewaySubmit(tenant, accepted, refused);
            block(clients, WARM_UP_PER_CLIENT, bareOnce, new ArrayList<>());
            block(clients, WARM_UP_PER_CLIENT, gatewayOnce, new ArrayList<>());
            int warmUpJobs = accepted.size();

            String before = gateway.text();
            for (int b = 0; b < BLOCKS_PER_PATH; b++) {
                boolean bareFirst = b % 2 == 0;
                for (boolean isBare : bareFirst ? List.of(true, false) : List.of(false, true)) {
                    Path path = isBare ? bare : through;
                    CpuTime cpuBefore = CpuTime.now();
                    double seconds = block(clients, perBlock, isBare ? bareOnce : gatewayOnce, path.millis);
                    path.addBlock(seconds, CpuTime.now().since(cpuBefore));
                }
            }
            String after = gateway.text();
            serverSide.putAll(serverSide(before, after));
            CpuTime deleting = CpuTime.now();
            deleteAll(client, bareJobs, clients);
            details.put("bare_jobs_deleted", bareJobs.size());
            details.put("bare_delete_cpu_seconds", CpuTime.now().since(deleting));

            Latencies bareMillis = Latencies.ofMillis(bare.millis);
            Latencies gatewayMillis = Latencies.ofMillis(through.millis);
            comparisons.add(Comparison.of("accepted submissions per second", "submissions/s", "bare PutItem + Kafka send", bare.perSecond(),
                    "gateway POST /v1/queries", through.perSecond()).withRatioAtLeast(0.8));
            comparisons.add(Comparison.of("p50 submission latency", "ms", "bare", bareMillis.p50(), "gateway 202", gatewayMillis.p50()));
            comparisons.add(Comparison.of("p99 submission latency", "ms", "bare", bareMillis.p99(), "gateway 202", gatewayMillis.p99()));
            comparisons.add(Comparison.of("machine CPU per accepted submission", "ms", "bare", bare.cpuMillisPerSubmission(CpuTime.MACHINE),
                    "gateway", through.cpuMillisPerSubmission(CpuTime.MACHINE)));
            details.put("bare_ms", bareMillis);
            details.put("gateway_ms", gatewayMillis);
            details.put("bare_seconds", bare.seconds);
            details.put("gateway_seconds", through.seconds);
            details.put("gateway_accepted", through.millis.size());
            details.put("gateway_warm_up_jobs", warmUpJobs);
            details.put("gateway_429s", refused.values().stream().mapToLong(AtomicLong::get).sum());
            details.put("gateway_429s_by_detail", new TreeMap<>(refused));
            details.put("gateway_server_side", serverSide);
            details.put("bare_cpu_seconds", bare.cpuSeconds);
            details.put("gateway_cpu_seconds", through.cpuSeconds);
            details.put("gateway_process_cpu_ms_per_submission", through.cpuMillisPerSubmission(GATEWAY));
            details.put("bench_jvm_cpu_ms_per_submission", Map.of(
                    "bare", bare.cpuMillisPerSubmission(CpuTime.BENCH_JVM), "gateway", through.cpuMillisPerSubmission(CpuTime.BENCH_JVM)));
            details.put("machine_busy_cores", Map.of("bare", bare.machineBusyCores(), "gateway", through.machineBusyCores()));
            details.put("async_http_services", BareSubmitter.asyncHttpServices());
            Bench.CONSOLE.printf("bench: submission: bare %.0f/s, gateway %.0f/s (%.2fx); draining %d jobs...%n",
                    bare.perSecond(), through.perSecond(), through.perSecond() / bare.perSecond(), accepted.size());

            Drained drained = drain(tenant, accepted);
            details.put("drain_seconds", drained.seconds());
            details.put("drained_by_status", drained.byStatus());

            statusReads(context, client, gateway, accepted.getFirst(), comparisons, details);
        }

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("sql", SQL);
        parameters.put("tenant", tenant.tenant());
        parameters.put("closed_loop_clients", clients);
        parameters.put("submissions_per_client_per_path", perBlock * BLOCKS_PER_PATH);
        parameters.put("blocks", "bare, gateway, gateway, bare; " + perBlock + " submissions per client per block");
        parameters.put("warm_up_per_client_per_path", WARM_UP_PER_CLIENT);
        parameters.put("bare_topic", BareSubmitter.TOPIC);
        parameters.put("bare_tenant", BareSubmitter.TENANT.value());
        parameters.put("bare_producer", "acks=all, enable.idempotence=true, linger.ms=0, max.block.ms=5000, request.timeout.ms=5000, "
                + "delivery.timeout.ms=10000 (the gateway's spring.kafka.producer)");
        parameters.put("status_poll_interval_ms", sizes.pollInterval().toMillis());
        parameters.put("status_poll_window_s", sizes.statusPollWindow().toSeconds());
        return new ScenarioResult(name(), Latencies.millisSince(start) / 1000, parameters, comparisons, details);
    }

    /** One closed-loop block: {@code clients} virtual threads, each submitting {@code each} times in turn; its wall seconds. */
    private static double block(int clients, int each, Callable<Double> submitOnce, List<Double> millis) throws Exception {
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        millis.add(submitOnce.call());
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        }
        return Latencies.millisSince(start) / 1000;
    }

    /**
     * One accepted submission through the gateway: its milliseconds to the 202. A 429 is counted by its detail and
     * waited out ({@code Retry-After}); its time counts against the block, not as a latency sample.
     */
    private static double gatewaySubmit(TenantApp tenant, List<String> accepted, Map<String, AtomicLong> refused) {
        while (true) {
            long sent = System.nanoTime();
            HttpResponse<String> response = tenant.post("/v1/queries", Map.of("sql", SQL));
            double millis = Latencies.millisSince(sent);
            if (response.statusCode() == 202) {
                accepted.add(TenantApp.JSON.readTree(response.body()).get("job_id").asString());
                return millis;
            }
            if (response.statusCode() != 429) {
                throw new IllegalStateException("submission: POST answered " + response.statusCode() + " " + response.body());
            }
            JsonNode problem = TenantApp.JSON.readTree(response.body());
            refused.computeIfAbsent(problem.path("detail").asString(), detail -> new AtomicLong()).incrementAndGet();
            long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
            TenantApp.sleep(Duration.ofSeconds(Math.max(retryAfter, 0)).plusMillis(retryAfter <= 0 ? 100 : 0));
        }
    }

    /** The gateway's own view of the measured submissions (both gateway blocks; the bare blocks send it nothing). */
    private static Map<String, Double> serverSide(String before, String after) {
        Map<String, Double> server = new LinkedHashMap<>();
        double requests = delta(before, after, "http_server_requests_seconds_count", ACCEPTED_SUBMIT);
        server.put("http_server_requests_202", requests);
        server.put("http_server_mean_ms", delta(before, after, "http_server_requests_seconds_sum", ACCEPTED_SUBMIT) * 1000 / requests);
        Map<String, String> guardAccepted = Map.of("outcome", "accepted");
        double guarded = delta(before, after, "spectra_gateway_sql_guard_seconds_count", guardAccepted);
        server.put("sql_guard_checks", guarded);
        server.put("sql_guard_mean_ms", delta(before, after, "spectra_gateway_sql_guard_seconds_sum", guardAccepted) * 1000 / guarded);
        server.put("submissions_accepted", delta(before, after, "spectra_gateway_submissions_total", guardAccepted));
        server.put("process_cpu_seconds", delta(before, after, "process_cpu_time_ns_total", Map.of()) / 1e9);
        return server;
    }

    private static double delta(String before, String after, String name, Map<String, String> labels) {
        return Prometheus.sum(after, name, labels) - Prometheus.sum(before, name, labels);
    }

    /** Deletes the bare jobs again, {@code clients} at a time; untimed. */
    private static void deleteAll(BareSubmitter client, List<JobId> jobs, int clients) throws Exception {
        List<JobId> all = List.copyOf(jobs);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c;
                done.add(threads.submit(() -> {
                    for (int i = first; i < all.size(); i += clients) {
                        client.delete(all.get(i));
                    }
                    return null;
                }));
            }
            for (Future<?> deleting : done) {
                deleting.get();
            }
        }
    }

    record Drained(double seconds, Map<String, Integer> byStatus) {
    }

    /** Waits until every accepted job has ended, reading them in the order they were accepted (the order they run in, roughly). */
    private static Drained drain(TenantApp tenant, List<String> jobIds) {
        long start = System.nanoTime();
        long giveUp = start + DRAIN_DEADLINE.toNanos();
        Map<String, Integer> byStatus = new TreeMap<>();
        for (String jobId : List.copyOf(jobIds)) {
            while (true) {
                TenantApp.Job job = tenant.status(jobId);
                if (job.terminal()) {
                    byStatus.merge(job.status(), 1, Integer::sum);
                    break;
                }
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException("submission: job " + jobId + " still " + job.status() + " after " + DRAIN_DEADLINE);
                }
                TenantApp.sleep(DRAIN_RECHECK);
            }
        }
        return new Drained(Latencies.millisSince(start) / 1000, byStatus);
    }

    /** One way of reading a status every poll interval for the window: the reads' latencies and the CPU used meanwhile. */
    record Polled(Latencies millis, double readsPerSecond, Map<String, Double> cpuSeconds, double gatewayCpuSecondsByPrometheus) {
    }

    private static void statusReads(BenchContext context, BareSubmitter client, Prometheus gateway, String jobId,
                                     List<Comparison> comparisons, Map<String, Object> details) {
        Duration window = context.sizes().statusPollWindow();
        Duration interval = context.sizes().pollInterval();
        TenantApp tenant = context.acme();
        JobId job = JobId.of(jobId);
        Polled idle = poll(gateway, window, interval, null);
        Polled bare = poll(gateway, window, interval, () -> {
            if (!client.read(dev.spectra.common.tenant.TenantId.of(tenant.tenant()), job)) {
                throw new IllegalStateException("submission: bare GetItem found no job " + jobId);
            }
        });
        Polled through = poll(gateway, window, interval, () -> {
            HttpResponse<String> response = tenant.get("/v1/queries/" + jobId);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("submission: status of " + jobId + " answered " + response.statusCode() + " " + response.body());
            }
        });
        double idleCpu = idle.cpuSeconds().getOrDefault(GATEWAY, 0.0);
        double pollingCpu = through.cpuSeconds().getOrDefault(GATEWAY, 0.0);
        comparisons.add(Comparison.of("status reads per second, one client every " + interval.toMillis() + " ms", "reads/s",
                "bare GetItem", bare.readsPerSecond(), "gateway GET", through.readsPerSecond()));
        comparisons.add(Comparison.of("p50 status read latency", "ms", "bare GetItem", bare.millis().p50(), "gateway GET", through.millis().p50()));
        comparisons.add(Comparison.of("p99 status read latency", "ms", "bare GetItem", bare.millis().p99(), "gateway GET", through.millis().p99()));
        comparisons.add(Comparison.of("gateway process CPU over " + window.toSeconds() + " s", "s", "idle", idleCpu,
                "reading a status every " + interval.toMillis() + " ms", pollingCpu));
        Map<String, Object> reads = new LinkedHashMap<>();
        reads.put("job_id", jobId);
        reads.put("idle", idle);
        reads.put("bare_get_item", bare);
        reads.put("gateway_get", through);
        reads.put("gateway_cpu_ms_per_read", (pollingCpu - idleCpu) * 1000 / through.millis().count());
        details.put("status_reads", reads);
    }

    /** Reads (or, with {@code read} null, idles) for {@code window}, pausing {@code interval} after each read. */
    private static Polled poll(Prometheus gateway, Duration window, Duration interval, Runnable read) {
        String before = gateway.text();
        CpuTime cpuBefore = CpuTime.now();
        List<Double> millis = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + window.toNanos();
        if (read == null) {
            TenantApp.sleep(window);
        } else {
            while (System.nanoTime() < end) {
                long sent = System.nanoTime();
                read.run();
                millis.add(Latencies.millisSince(sent));
                TenantApp.sleep(interval);
            }
        }
        double seconds = Latencies.millisSince(start) / 1000;
        Map<String, Double> cpu = CpuTime.now().since(cpuBefore);
        String after = gateway.text();
        return new Polled(Latencies.ofMillis(millis), millis.size() / seconds, cpu,
                delta(before, after, "process_cpu_time_ns_total", Map.of()) / 1e9);
    }
}
