package dev.spectra.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Many slow statements submitted at once from both tenants: the most the query worker follows at the same time
 * (its tracking gauge) and the most that run in the warehouse at once, against the number offered.
 */
final class InFlight implements Scenario {

    /** Gauge names tried in order; {@code -Dbench.inflight.gauge=name} puts another first. */
    static final List<String> GAUGES = List.of("spectra_statements_in_flight");
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(50);
    private static final Duration STATUS_POLL = Duration.ofMillis(250);
    private static final int SUBMITTERS = 8;

    @Override
    public String name() {
        return "in-flight";
    }

    @Override
    public String description() {
        return "slow statements submitted at once: peak tracked by the query worker and peak running in the warehouse, vs offered";
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        Sizes sizes = context.sizes();
        // A set-returning function in the select list streams; in FROM it would materialise every row first.
        String sql = "SELECT count(*) FROM (SELECT generate_series(1, " + sizes.slowRows() + ")) AS s";
        List<String> gauges = new ArrayList<>(GAUGES);
        Optional.ofNullable(System.getProperty("bench.inflight.gauge")).ifPresent(name -> gauges.addFirst(name));
        String gauge = context.queryWorker().first(gauges).map(Prometheus.Reading::name).orElse(null);

        AtomicBoolean sampling = new AtomicBoolean(true);
        double[] peakTracked = {0};
        int[] peakRunning = {0};
        List<Map<String, Object>> timeline = Collections.synchronizedList(new ArrayList<>());
        List<TenantApp.Job> ended = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        try (ExecutorService sampler = Executors.newSingleThreadExecutor();
             ExecutorService clients = Executors.newFixedThreadPool(SUBMITTERS)) {
            Future<?> sampled = sampler.submit(() -> {
                while (sampling.get()) {
                    double tracked = gauge == null ? Double.NaN : context.queryWorker().first(List.of(gauge)).orElseThrow().value();
                    int running = context.warehouse().running(context.databaseUsers());
                    peakTracked[0] = Math.max(peakTracked[0], tracked);
                    peakRunning[0] = Math.max(peakRunning[0], running);
                    timeline.add(Map.of("t_ms", Math.round(Latencies.millisSince(start)), "tracked", tracked, "running", running));
                    TenantApp.sleep(SAMPLE_EVERY);
                }
            });
            List<Future<TenantApp.Job>> jobs = new ArrayList<>();
            for (int i = 0; i < sizes.slowStatements(); i++) {
                TenantApp tenant = context.tenants().get(i % 2);
                jobs.add(clients.submit(() -> tenant.awaitTerminal(tenant.submit(sql), STATUS_POLL, BenchContext.JOB_DEADLINE)));
            }
            for (Future<TenantApp.Job> job : jobs) {
                ended.add(job.get());
            }
            sampling.set(false);
            sampled.get();
        } finally {
            sampling.set(false);
        }
        long succeeded = ended.stream().filter(job -> job.status().equals("SUCCEEDED")).count();

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("sql", sql);
        parameters.put("statements", sizes.slowStatements());
        parameters.put("tenants", context.tenants().stream().map(TenantApp::tenant).toList());
        parameters.put("gauge", gauge == null ? "none of " + gauges + " exported" : gauge);
        parameters.put("sample_every_ms", SAMPLE_EVERY.toMillis());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("succeeded", succeeded);
        details.put("not_succeeded", ended.size() - succeeded);
        details.put("seconds_to_all_ended", Latencies.millisSince(start) / 1000);
        details.put("job_ms", Latencies.ofMillis(ended.stream().map(TenantApp.Job::serverMillis).toList()));
        details.put("timeline", thin(timeline, 200));
        return new ScenarioResult(name(), Latencies.millisSince(start) / 1000, parameters, List.of(
                Comparison.of("peak tracked by query worker", "statements", "offered", sizes.slowStatements(), "gauge", peakTracked[0]),
                Comparison.of("peak running in warehouse", "statements", "offered", sizes.slowStatements(), "pg_stat_activity", peakRunning[0])),
                details);
    }

    private static <T> List<T> thin(List<T> samples, int atMost) {
        int step = Math.max(1, (samples.size() + atMost - 1) / atMost);
        List<T> kept = new ArrayList<>();
        for (int i = 0; i < samples.size(); i += step) {
            kept.add(samples.get(i));
        }
        return kept;
    }
}
