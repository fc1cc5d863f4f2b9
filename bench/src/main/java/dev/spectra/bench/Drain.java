package dev.spectra.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backlog of trivial jobs from both tenants, submitted as fast as the gateway accepts them (429s waited out),
 * against the same number of statements through the Data API from a fixed number of closed-loop clients.
 * Latencies are taken from the servers' own timestamps (gateway submitted_at to updated_at of SUCCEEDED; Data
 * API CreatedAt to UpdatedAt of FINISHED), so that polling cadence does not blur them.
 */
final class Drain implements Scenario {

    static final String SQL = "SELECT 1";
    private static final Duration SWEEP_PAUSE = Duration.ofMillis(20);
    private static final int POLLERS = 4;

    @Override
    public String name() {
        return "drain";
    }

    @Override
    public String description() {
        return "a backlog of trivial jobs from both tenants: jobs drained per second and submit-to-SUCCEEDED, vs the Data API directly";
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        Sizes sizes = context.sizes();
        long start = System.nanoTime();
        Baseline baseline = direct(context);
        Outcome outcome = spectra(context);

        Latencies through = Latencies.ofMillis(outcome.jobs().stream().map(TenantApp.Job::serverMillis).toList());
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("sql", SQL);
        parameters.put("jobs", sizes.drainJobs());
        parameters.put("tenants", context.tenants().stream().map(TenantApp::tenant).toList());
        parameters.put("submitters_per_tenant", sizes.drainSubmitters());
        parameters.put("direct_closed_loop_clients", sizes.directClients());
        parameters.put("direct_poll_interval_ms", sizes.pollInterval().toMillis());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("spectra_drain_seconds", outcome.seconds());
        details.put("spectra_submit_seconds", outcome.submitSeconds());
        details.put("spectra_not_succeeded", outcome.notSucceeded());
        details.put("spectra_429s", outcome.throttled());
        details.put("spectra_submit_to_succeeded_ms", through);
        details.put("direct_seconds", baseline.seconds());
        details.put("direct_execute_to_finished_ms", baseline.latencies());
        return new ScenarioResult(name(), Latencies.millisSince(start) / 1000, parameters, List.of(
                Comparison.of("throughput", "jobs/s", "Data API direct", baseline.perSecond(), "Spectra", outcome.perSecond()),
                Comparison.of("p50 submit to done", "ms", "Data API direct", baseline.latencies().p50(), "Spectra", through.p50()),
                Comparison.of("p99 submit to done", "ms", "Data API direct", baseline.latencies().p99(), "Spectra", through.p99())),
                details);
    }

    record Baseline(double seconds, double perSecond, Latencies latencies) {
    }

    record Outcome(List<TenantApp.Job> jobs, double seconds, double submitSeconds, double perSecond, long notSucceeded, long throttled) {
    }

    private static Baseline direct(BenchContext context) throws Exception {
        Sizes sizes = context.sizes();
        AtomicInteger next = new AtomicInteger();
        List<DirectDataApi.Run> runs = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(sizes.directClients())) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < sizes.directClients(); c++) {
                String user = c % 2 == 0 ? context.acmeUser() : context.globexUser();
                done.add(clients.submit(() -> {
                    while (next.getAndIncrement() < sizes.drainJobs()) {
                        runs.add(context.direct().run(user, SQL, sizes.pollInterval(), BenchContext.JOB_DEADLINE));
                    }
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        }
        double seconds = Latencies.millisSince(start) / 1000;
        return new Baseline(seconds, runs.size() / seconds, Latencies.ofMillis(runs.stream().map(DirectDataApi.Run::serverMillis).toList()));
    }

    private static Outcome spectra(BenchContext context) throws Exception {
        Sizes sizes = context.sizes();
        List<TenantApp> tenants = context.tenants();
        record Submitted(TenantApp tenant, String jobId) {
        }
        ConcurrentLinkedQueue<Submitted> pending = new ConcurrentLinkedQueue<>();
        List<TenantApp.Job> finished = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        long throttledBefore = tenants.stream().mapToLong(TenantApp::throttled).sum();
        long start = System.nanoTime();
        double submitSeconds;
        try (ExecutorService submitters = Executors.newFixedThreadPool(sizes.drainSubmitters() * tenants.size());
             ExecutorService pollers = Executors.newFixedThreadPool(POLLERS)) {
            List<Future<?>> submitted = new ArrayList<>();
            for (TenantApp tenant : tenants) {
                for (int s = 0; s < sizes.drainSubmitters(); s++) {
                    submitted.add(submitters.submit(() -> {
                        while (next.getAndIncrement() < sizes.drainJobs()) {
                            pending.add(new Submitted(tenant, tenant.submit(SQL)));
                        }
                    }));
                }
            }
            long giveUp = System.nanoTime() + BenchContext.JOB_DEADLINE.toNanos();
            List<Future<?>> polled = new ArrayList<>();
            for (int p = 0; p < POLLERS; p++) {
                polled.add(pollers.submit(() -> {
                    while (finished.size() < sizes.drainJobs() && System.nanoTime() < giveUp) {
                        Submitted job = pending.poll();
                        if (job == null) {
                            TenantApp.sleep(SWEEP_PAUSE);
                            continue;
                        }
                        TenantApp.Job state = job.tenant().status(job.jobId());
                        if (state.terminal()) {
                            finished.add(state);
                        } else {
                            pending.add(job);
                            TenantApp.sleep(Duration.ofMillis(1));
                        }
                    }
                }));
            }
            for (Future<?> submitter : submitted) {
                submitter.get();
            }
            submitSeconds = Latencies.millisSince(start) / 1000;
            for (Future<?> poller : polled) {
                poller.get();
            }
        }
        if (finished.size() < sizes.drainJobs()) {
            throw new IllegalStateException("drain: only " + finished.size() + " of " + sizes.drainJobs() + " jobs ended within " + BenchContext.JOB_DEADLINE);
        }
        Instant first = finished.stream().map(TenantApp.Job::submittedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = finished.stream().map(TenantApp.Job::updatedAt).max(Comparator.naturalOrder()).orElseThrow();
        double seconds = Duration.between(first, last).toNanos() / 1e9;
        long notSucceeded = finished.stream().filter(job -> !job.status().equals("SUCCEEDED")).count();
        long throttled = tenants.stream().mapToLong(TenantApp::throttled).sum() - throttledBefore;
        List<TenantApp.Job> succeeded = finished.stream().filter(job -> job.status().equals("SUCCEEDED")).toList();
        return new Outcome(succeeded, seconds, submitSeconds, succeeded.size() / seconds, notSucceeded, throttled);
    }
}
