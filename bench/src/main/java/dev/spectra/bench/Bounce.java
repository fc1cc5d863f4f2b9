package dev.spectra.bench;

import dev.spectra.common.messaging.Topics;
import dev.spectra.local.LocalKafka;
import dev.spectra.local.LocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The full-size bounce: jobs of both tenants at a steady rate, each with SQL of its own, on a fleet of two query
 * and two delivery workers over three Kafka brokers, while the fleet is hurt: kill -9 of a query worker and a
 * delivery worker (both restarted at once), a broker killed and restarted, a third query worker joining, and a
 * query worker frozen past its lease and woken. Then every job is checked: ended, SUCCEEDED, SQL executed once in
 * the warehouse (counted there), one terminal event, its own tenant's result.
 */
final class Bounce implements Scenario {

    /** Jobs are offered at the rate that spreads them over this window, so that every event lands under load. */
    private static final Duration QUICK_WINDOW = Duration.ofSeconds(100);
    private static final Duration FULL_WINDOW = Duration.ofSeconds(150);
    private static final Duration BROKER_DOWN_FOR = Duration.ofSeconds(10);
    /** Twice the lease (15 s), so that the sweep (every 3 s) has long run when the worker wakes. */
    private static final Duration FROZEN_FOR = Duration.ofSeconds(30);
    /** Lease plus one sweep interval: when a dead owner's jobs are due to move at the latest. */
    private static final Duration LEASE_AND_SWEEP = Duration.ofSeconds(18);
    /** How long a takeover is watched: past lease and sweep, short of the next event's own takeovers. */
    private static final Duration TAKEOVER_PATIENCE = Duration.ofSeconds(30);
    private static final int SUBMITTERS = 4;
    /** Jobs submitted at once before a kill or a freeze: more than two tenants' running places (4 each) on one worker. */
    private static final int BURST = 24;
    /** Jobs a worker holds for it to be struck. */
    private static final int BUSY = 4;
    private static final int MAX_ATTEMPTS = 5;
    private static final String QUERY_WORKER = "query-worker";
    private static final String DELIVERY_WORKER = "delivery-worker";
    /** Watches a takeover while the next events go on. */
    private static final ExecutorService WATCHER = Executors.newCachedThreadPool(Thread.ofVirtual().factory());

    @Override
    public String name() {
        return "bounce";
    }

    @Override
    public String description() {
        return "jobs at a steady rate while workers are killed, restarted, joined and frozen and a broker bounces: each ends once, runs once, right";
    }

    @Override
    public boolean bouncesTheStack() {
        return true;
    }

    /** One attempt at submitting job {@code number}: its SQL is its own, so the warehouse can count its runs. */
    record Attempt(int number, int attempt, TenantApp tenant, String sql, String jobId, int status) {
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        LocalStack stack = context.stack();
        int jobs = context.sizes().bounceJobs();
        Duration window = context.sizes().mode().equals("quick") ? QUICK_WINDOW : FULL_WINDOW;
        Map<String, Long> rowsPerTenant = context.warehouse().rowsPerTenant();
        stack.startAnother(QUERY_WORKER);
        stack.startAnother(DELIVERY_WORKER);
        Map<String, Object> events = new LinkedHashMap<>();
        long start = System.nanoTime();
        Instant startedAt = Instant.now();

        AtomicInteger next = new AtomicInteger();
        AtomicInteger offered = new AtomicInteger();
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        long intervalNanos = window.toNanos() / jobs;
        AtomicReference<Instant> lastSubmitted = new AtomicReference<>(Instant.now());
        Killed killed;
        Moment killedAt;
        Moment frozenAt;
        Map<String, Object> freeze;
        try (ExecutorService submitters = Executors.newFixedThreadPool(2 * SUBMITTERS)) {
            List<Future<?>> submitting = new CopyOnWriteArrayList<>();
            for (int s = 0; s < SUBMITTERS; s++) {
                submitting.add(submitters.submit(() -> {
                    for (int number = next.getAndIncrement(); number < jobs; number = next.getAndIncrement()) {
                        TenantApp.sleep(Duration.ofNanos(Math.max(0, start + number * intervalNanos - System.nanoTime())));
                        attempts.addAll(submit(context, number));
                        offered.incrementAndGet();
                        lastSubmitted.accumulateAndGet(Instant.now(), Bounce::later);
                    }
                }));
            }
            // Before a kill or a freeze, a burst: the victim is the first worker seen holding several of its jobs (running,
            // and waiting for their tenant's turn), struck at once.
            Supplier<Holder> burst = () -> {
                for (int b = 0; b < BURST; b++) {
                    int number = next.getAndIncrement();
                    if (number >= jobs) {
                        break;
                    }
                    submitting.add(submitters.submit(() -> {
                        attempts.addAll(submit(context, number));
                        offered.incrementAndGet();
                        lastSubmitted.accumulateAndGet(Instant.now(), Bounce::later);
                    }));
                }
                return busyWorker(context, queryWorkers(stack));
            };

            // The events, one after the other, each once a share of the jobs has been offered.
            awaitOffered(offered, jobs / 10);
            Holder killing = burst.get();
            killedAt = moment(attempts, Set.of());
            killed = killAndRestartWorkers(context, stack, start, killing);
            events.put("kill_workers", killed.event());
            awaitOffered(offered, jobs * 3 / 10);
            events.put("broker_bounce", bounceBroker(stack, start));
            awaitOffered(offered, jobs * 45 / 100);
            long joining = System.nanoTime();
            String joined = stack.startAnother(QUERY_WORKER);
            events.put("join", Map.of("instance", joined, "at_s", seconds(joining - start), "ready_after_s", seconds(System.nanoTime() - joining)));
            awaitOffered(offered, jobs * 6 / 10);
            Holder freezing = burst.get();
            // Jobs from before the kill are left out: one the kill left behind would be counted twice.
            frozenAt = moment(attempts, killedAt.acceptedBefore());
            freeze = freezeAndThaw(context, stack, start, freezing);
            events.put("freeze", freeze);

            for (Future<?> submitter : submitting) {
                submitter.get();
            }
        }
        Instant lastSubmission = lastSubmitted.get();

        List<Attempt> accepted = attempts.stream().filter(a -> a.status() == 202).toList();
        List<Attempt> refused = attempts.stream().filter(a -> a.status() != 202).toList();
        Map<String, TenantApp.Job> endings = awaitEnded(accepted);
        Instant lastEnded = endings.values().stream().map(TenantApp.Job::updatedAt).max(Comparator.naturalOrder()).orElseThrow();
        Instant firstSubmitted = endings.values().stream().map(TenantApp.Job::submittedAt).min(Comparator.naturalOrder()).orElseThrow();

        Map<String, Long> statuses = endings.values().stream().collect(Collectors.groupingBy(TenantApp.Job::status, Collectors.counting()));
        long succeeded = statuses.getOrDefault("SUCCEEDED", 0L);
        List<Long> executions = accepted.stream().map(a -> context.stack().warehouseExecutionsOf(a.sql())).toList();
        long ranOnce = executions.stream().filter(count -> count == 1).count();
        long ranTwiceOrMore = executions.stream().filter(count -> count > 1).count();
        long maxExecutions = executions.stream().mapToLong(Long::longValue).max().orElse(0);
        long refusedThatRan = refused.stream().filter(a -> context.stack().warehouseExecutionsOf(a.sql()) > 0).count();
        Map<String, Long> refusedStatuses = refused.stream().filter(a -> a.jobId() != null)
                .collect(Collectors.groupingBy(a -> a.tenant().status(a.jobId()).status(), Collectors.counting()));
        Map<String, Integer> terminalEvents = terminalEvents(stack, accepted.stream().map(Attempt::jobId).collect(Collectors.toSet()));
        long oneTerminalEvent = accepted.stream().filter(a -> terminalEvents.getOrDefault(a.jobId(), 0) == 1).count();
        int maxTerminalEvents = terminalEvents.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> wrong = new ArrayList<>();
        for (Attempt job : accepted) {
            if (endings.get(job.jobId()).status().equals("SUCCEEDED") && !rightResult(job, rowsPerTenant)) {
                wrong.add(job.jobId());
            }
        }
        long neverAccepted = jobs - accepted.stream().map(Attempt::number).distinct().count();

        double offeredSeconds = Duration.between(firstSubmitted, lastSubmission).toNanos() / 1e9;
        double doneSeconds = Duration.between(firstSubmitted, lastEnded).toNanos() / 1e9;
        double drainSeconds = Math.max(0, Duration.between(lastSubmission, lastEnded).toNanos() / 1e9);

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("jobs", jobs);
        parameters.put("tenants", context.tenants().stream().map(TenantApp::tenant).toList());
        parameters.put("offered_over_s", window.toSeconds());
        parameters.put("query_workers", "2, a third joins mid-run");
        parameters.put("delivery_workers", 2);
        parameters.put("kafka_brokers", stack.kafkaBrokers());
        parameters.put("broker_down_s", BROKER_DOWN_FOR.toSeconds());
        parameters.put("frozen_s", FROZEN_FOR.toSeconds());
        parameters.put("sql", sqlOf(0, 1));

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("started_at", startedAt.toString());
        details.put("events", events);
        details.put("accepted", accepted.size());
        details.put("never_accepted", neverAccepted);
        details.put("refused_submissions", refused.size());
        details.put("refused_statuses", refusedStatuses);
        details.put("refused_that_ran", refusedThatRan);
        details.put("statuses", statuses);
        details.put("executions_max", maxExecutions);
        details.put("executions_more_than_once", ranTwiceOrMore);
        details.put("executions_none", executions.stream().filter(count -> count == 0).count());
        details.put("terminal_events_max", maxTerminalEvents);
        details.put("terminal_events_not_one", accepted.size() - oneTerminalEvent);
        details.put("wrong_results", wrong);
        details.put("first_submit_to_last_end_s", doneSeconds);
        details.put("drain_after_last_submission_s", drainSeconds);
        details.put("submit_to_end_ms", Latencies.ofMillis(endings.values().stream().map(TenantApp.Job::serverMillis).toList()));

        killed.event().putAll(killed.takeover().get());
        double lastAfterKill = killedAt.lastInFlightEnded(endings, killed.event());
        double lastAfterFreeze = frozenAt.lastInFlightEnded(endings, freeze);
        double acceptedCount = accepted.size();
        return new ScenarioResult(name(), Latencies.millisSince(start) / 1000, parameters, List.of(
                Comparison.of("jobs SUCCEEDED", "jobs", "accepted", acceptedCount, "SUCCEEDED", succeeded).withRatioAtLeast(1),
                Comparison.of("jobs whose SQL ran exactly once", "jobs", "accepted", acceptedCount, "warehouse count 1", ranOnce).withRatioAtLeast(1),
                Comparison.of("most runs of one job's SQL", "runs", "exactly once", 1, "warehouse count", maxExecutions).withRatioAtMost(1),
                Comparison.of("jobs with one terminal event", "jobs", "accepted", acceptedCount, "job-events topic", oneTerminalEvent).withRatioAtLeast(1),
                Comparison.of("jobs with their tenant's result", "jobs", "accepted", acceptedCount, "results checked", acceptedCount - wrong.size())
                        .withRatioAtLeast(1),
                Comparison.of("first submit to last job ended", "s", "offering window", offeredSeconds, "bounced fleet", doneSeconds),
                Comparison.of("kill -9 to the last job then in flight ended", "s", "lease + sweep", LEASE_AND_SWEEP.toSeconds(), "measured",
                        lastAfterKill),
                Comparison.of("freeze to the last job then in flight (since the kill) ended", "s", "frozen for", FROZEN_FOR.toSeconds(), "measured",
                        lastAfterFreeze)),
                details);
    }

    /** Submits job {@code number}, again with the next attempt's SQL after a 503, as a client honouring Retry-After would. */
    private static List<Attempt> submit(BenchContext context, int number) {
        TenantApp tenant = context.tenants().get(number % context.tenants().size());
        List<Attempt> attempts = new ArrayList<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String sql = sqlOf(number, attempt);
            TenantApp.Submission submission = tenant.trySubmit(sql);
            attempts.add(new Attempt(number, attempt, tenant, sql, submission.jobId(), submission.status()));
            if (submission.status() == 202) {
                break;
            }
            TenantApp.sleep(submission.retryAfter());
        }
        return attempts;
    }

    /**
     * Job {@code number}'s SQL, unique per attempt, canonical as the gateway's guard writes it, so that the warehouse
     * sees it verbatim. The subquery makes each job take a moment, so that jobs are in flight when a process dies.
     */
    static String sqlOf(int number, int attempt) {
        return "SELECT " + number + " AS job, " + attempt + " AS attempt, count(*) AS orders FROM sales WHERE order_id > " + (-number)
                + " AND amount > (SELECT count(*) FROM generate_series(1, 300000)) - 300000";
    }

    private static boolean rightResult(Attempt job, Map<String, Long> rowsPerTenant) {
        JsonNode row = TenantApp.JSON.readTree(job.tenant().results(job.jobId())).get("rows").get(0);
        return row.get(0).asLong() == job.number() && row.get(1).asLong() == job.attempt()
                && row.get(2).asLong() == rowsPerTenant.get(job.tenant().tenant());
    }

    /**
     * kill -9 of a busy query worker and of the second delivery worker, both started again at
     * once; then the time until the rest of the fleet (the restarted worker included) took over as many jobs as
     * the dead one held.
     */
    private static Killed killAndRestartWorkers(BenchContext context, LocalStack stack, long start, Holder holder) throws Exception {
        String victim = holder.instance();
        double held = holder.held();
        double takenOverBefore = takenOver(context, stack, victim);
        long killed = System.nanoTime();
        stack.kill(victim);
        stack.kill(DELIVERY_WORKER + "-2");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("query_worker", victim);
        event.put("delivery_worker", DELIVERY_WORKER + "-2");
        event.put("at_s", seconds(killed - start));
        event.put("jobs_held", held);
        // The restarted worker takes part in the takeover as soon as it is up; the watch goes on after this returns.
        Future<Map<String, Object>> takeover = WATCHER.submit(() -> awaitTakenOver(context, stack, null, takenOverBefore, held, killed));
        try (ExecutorService restarts = Executors.newFixedThreadPool(2)) {
            Future<Double> queryWorker = restarts.submit(() -> {
                stack.restart(victim);
                return seconds(System.nanoTime() - killed);
            });
            Future<?> deliveryWorker = restarts.submit(() -> stack.restart(DELIVERY_WORKER + "-2"));
            event.put("query_worker_ready_again_after_s", queryWorker.get());
            deliveryWorker.get();
        }
        return new Killed(event, takeover);
    }

    /** When an event struck, and the jobs accepted by then (since the event before): those not ended by then were in flight. */
    private record Moment(Instant at, Set<String> acceptedBefore) {

        /** Seconds from the event until the last job in flight at it ended; records how many there were. */
        double lastInFlightEnded(Map<String, TenantApp.Job> endings, Map<String, Object> event) {
            List<Instant> ended = acceptedBefore.stream().map(endings::get)
                    .map(TenantApp.Job::updatedAt).filter(updated -> updated.isAfter(at)).toList();
            double seconds = ended.stream().max(Comparator.naturalOrder())
                    .map(last -> Math.round(Duration.between(at, last).toMillis() / 100.0) / 10.0).orElse(Double.NaN);
            event.put("jobs_in_flight_in_the_fleet", ended.size());
            event.put("last_of_them_ended_after_s", seconds);
            return seconds;
        }
    }

    private static Moment moment(List<Attempt> attempts, Set<String> excluded) {
        return new Moment(Instant.now(), attempts.stream().filter(a -> a.status() == 202).map(Attempt::jobId)
                .filter(jobId -> !excluded.contains(jobId)).collect(Collectors.toSet()));
    }

    /** The kill's figures so far, and the watch of its takeover, which ends later. */
    private record Killed(Map<String, Object> event, Future<Map<String, Object>> takeover) {
    }

    /** SIGKILL of the broker leading acme's partition of the request topic, started again with its logs after a while. */
    private static Map<String, Object> bounceBroker(LocalStack stack, long start) throws Exception {
        int broker = leaderOf(stack, "acme");
        long killed = System.nanoTime();
        stack.killBroker(broker);
        TenantApp.sleep(BROKER_DOWN_FOR); // the outage's length
        long restarting = System.nanoTime();
        stack.restartBroker(broker);
        long live = System.nanoTime();
        stack.awaitKafkaFullyReplicated(Duration.ofMinutes(2));
        return Map.of("broker", broker, "at_s", seconds(killed - start), "down_s", seconds(restarting - killed),
                "live_again_after_restart_s", seconds(live - restarting), "fully_replicated_after_restart_s", seconds(System.nanoTime() - restarting));
    }

    /** SIGSTOP of a busy query worker, for twice its lease; then SIGCONT. */
    private static Map<String, Object> freezeAndThaw(BenchContext context, LocalStack stack, long start, Holder holder) {
        String victim = holder.instance();
        double held = holder.held();
        double takenOverBefore = takenOver(context, stack, victim);
        long frozen = System.nanoTime();
        stack.freeze(victim);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("query_worker", victim);
        event.put("at_s", seconds(frozen - start));
        event.put("jobs_held", held);
        // While it is frozen the others take its jobs over; its own metrics cannot be read until it wakes.
        event.putAll(awaitTakenOver(context, stack, victim, takenOverBefore, held, frozen, frozen + FROZEN_FOR.toNanos()));
        TenantApp.sleep(Duration.ofNanos(Math.max(0, frozen + FROZEN_FOR.toNanos() - System.nanoTime()))); // the freeze's length
        stack.thaw(victim);
        event.put("thawed_after_s", seconds(System.nanoTime() - frozen));
        return event;
    }

    private static Map<String, Object> awaitTakenOver(BenchContext context, LocalStack stack, String excluded, double before, double held,
                                                      long since) {
        return awaitTakenOver(context, stack, excluded, before, held, since, since + TAKEOVER_PATIENCE.toNanos());
    }

    /**
     * Polls the fleet's taken-over counters (summed, the instance {@code excluded} left out) until they grew by
     * {@code held} or {@code until} passes: when the first and the last of the held jobs moved.
     */
    private static Map<String, Object> awaitTakenOver(BenchContext context, LocalStack stack, String excluded, double before, double held,
                                                      long since, long until) {
        Double first = null;
        double moved = 0;
        while (System.nanoTime() < until) {
            // A counter only grows: a lower reading is an instance that did not answer (restarting, loaded).
            moved = Math.max(moved, takenOver(context, stack, excluded) - before);
            if (moved > 0 && first == null) {
                first = seconds(System.nanoTime() - since);
            }
            if (moved >= held) {
                break;
            }
            TenantApp.sleep(Duration.ofMillis(250));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("taken_over_by_the_others", moved);
        result.put("first_taken_over_after_s", first == null ? Double.NaN : first);
        result.put("as_many_as_held_taken_over_after_s", moved >= held && held > 0 ? seconds(System.nanoTime() - since) : Double.NaN);
        return result;
    }

    /** Jobs taken over so far by the query workers other than {@code excluded}; one that does not answer counts 0. */
    private static double takenOver(BenchContext context, LocalStack stack, String excluded) {
        return queryWorkers(stack).stream().filter(instance -> !instance.equals(excluded))
                .mapToDouble(instance -> context.metricOrZero(instance, "spectra_jobs_taken_over_total")).sum();
    }

    /** A query worker and the jobs it held when last read. */
    private record Holder(String instance, double held) {
    }

    /** The first query worker seen holding {@link #BUSY} jobs or more (reading every 50 ms, 20 s at most), else the busiest. */
    private static Holder busyWorker(BenchContext context, List<String> instances) {
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Holder busiest = new Holder(instances.getFirst(), 0);
        while (System.nanoTime() < giveUp) {
            for (String instance : instances) {
                double held = context.metricOrZero(instance, "spectra_jobs_in_flight");
                if (held >= BUSY) {
                    return new Holder(instance, held);
                }
                busiest = held > busiest.held() ? new Holder(instance, held) : busiest;
            }
            TenantApp.sleep(Duration.ofMillis(50));
        }
        return busiest;
    }

    private static List<String> queryWorkers(LocalStack stack) {
        return stack.serviceInstances().stream().filter(instance -> instance.startsWith(QUERY_WORKER)).sorted().toList();
    }

    private static int leaderOf(LocalStack stack, String tenant) throws Exception {
        int partition = Utils.toPositive(Utils.murmur2(tenant.getBytes(StandardCharsets.UTF_8))) % LocalKafka.PARTITIONS;
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            return admin.describeTopics(List.of(Topics.QUERY_REQUESTS)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.QUERY_REQUESTS).partitions().get(partition).leader().id();
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static void awaitOffered(AtomicInteger offered, int count) {
        while (offered.get() < count) {
            TenantApp.sleep(Duration.ofMillis(100));
        }
    }

    /** Polls every accepted job until it ended (or the deadline passed, which breaks the run). */
    private static Map<String, TenantApp.Job> awaitEnded(Collection<Attempt> jobs) {
        Map<String, TenantApp.Job> endings = new HashMap<>();
        ConcurrentLinkedQueue<Attempt> pending = new ConcurrentLinkedQueue<>(jobs);
        long giveUp = System.nanoTime() + BenchContext.JOB_DEADLINE.toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("bounce: " + pending.size() + " jobs did not end within " + BenchContext.JOB_DEADLINE
                        + ", e.g. " + pending.stream().limit(5).map(Attempt::jobId).toList());
            }
            for (int i = pending.size(); i > 0; i--) {
                Attempt job = pending.poll();
                TenantApp.Job state = job.tenant().status(job.jobId());
                if (state.terminal()) {
                    endings.put(job.jobId(), state);
                } else {
                    pending.add(job);
                }
            }
            if (!pending.isEmpty()) {
                TenantApp.sleep(Duration.ofMillis(500));
            }
        }
        return endings;
    }

    /** How many terminal JobEvents each job has on the job-events topic, read from the start. */
    private static Map<String, Integer> terminalEvents(LocalStack stack, Set<String> jobIds) {
        Map<String, Integer> events = new HashMap<>();
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-bounce-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_EVENTS));
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int quietPolls = 0;
            // Until every job was seen and two polls in a row brought nothing more: a duplicate right behind is counted too.
            while (System.nanoTime() < giveUp && (events.size() < jobIds.size() || quietPolls < 2)) {
                int seen = 0;
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    seen++;
                    JsonNode event = TenantApp.JSON.readTree(record.value());
                    String jobId = event.get("jobId").asString();
                    if (jobIds.contains(jobId) && TenantApp.TERMINAL.contains(event.get("status").asString())) {
                        events.merge(jobId, 1, Integer::sum);
                    }
                }
                quietPolls = seen == 0 ? quietPolls + 1 : 0;
            }
        }
        return events;
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }
}
