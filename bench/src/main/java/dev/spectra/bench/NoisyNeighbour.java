package dev.spectra.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * globex's warm {@code SELECT 1} round trip with the system otherwise idle (the baseline), then again while acme
 * keeps {@link Sizes#floodHeavy()} heavy queries in flight and fires bursts of trivial ones.
 */
final class NoisyNeighbour implements Scenario {

    static final String TRIVIAL = "SELECT 1";
    static final String HEAVY = "SELECT count(*) FROM sales a CROSS JOIN sales b WHERE a.amount > b.amount";
    private static final Duration FLOOD_RAMP = Duration.ofSeconds(3);
    private static final Duration FLOOD_POLL = Duration.ofMillis(200);
    private static final Duration BURST_PERIOD = Duration.ofSeconds(1);

    @Override
    public String name() {
        return "noisy-neighbour";
    }

    @Override
    public String description() {
        return "globex's SELECT 1 round trip while acme floods, vs globex's round trip unloaded";
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        Sizes sizes = context.sizes();
        long start = System.nanoTime();
        for (int i = 0; i < sizes.warmUp(); i++) {
            sample(context);
        }
        Latencies unloaded = Latencies.ofMillis(samples(context));

        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger heavyDone = new AtomicInteger();
        AtomicInteger trivialDone = new AtomicInteger();
        List<Integer> acmeRunning = new ArrayList<>();
        Latencies loaded;
        ExecutorService flood = Executors.newFixedThreadPool(sizes.floodHeavy() + 1);
        try {
            List<Future<?>> flooders = new ArrayList<>();
            for (int i = 0; i < sizes.floodHeavy(); i++) {
                flooders.add(flood.submit(() -> {
                    while (flooding.get()) {
                        awaitQuietly(context.acme(), context.acme().submit(HEAVY));
                        heavyDone.incrementAndGet();
                    }
                }));
            }
            flooders.add(flood.submit(() -> {
                while (flooding.get()) {
                    long burstStart = System.nanoTime();
                    List<String> burst = new ArrayList<>();
                    for (int i = 0; i < sizes.floodBurst(); i++) {
                        burst.add(context.acme().submit(TRIVIAL));
                    }
                    burst.forEach(jobId -> awaitQuietly(context.acme(), jobId));
                    trivialDone.addAndGet(burst.size());
                    long rest = BURST_PERIOD.toNanos() - (System.nanoTime() - burstStart);
                    if (rest > 0) {
                        TenantApp.sleep(Duration.ofNanos(rest));
                    }
                }
            }));
            TenantApp.sleep(FLOOD_RAMP);
            List<Double> samples = new ArrayList<>();
            long windowEnd = System.nanoTime() + sizes.noisyWindow().toNanos();
            for (int i = 0; i < sizes.noisySamples() && System.nanoTime() < windowEnd; i++) {
                samples.add(sample(context));
                if (i % 5 == 0) {
                    acmeRunning.add(context.warehouse().running(List.of(context.acmeUser())));
                }
            }
            loaded = Latencies.ofMillis(samples);
            flooding.set(false);
            // The heavy queries still running are not part of the measurement: end them rather than wait.
            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (flooders.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < giveUp) {
                context.warehouse().cancelRunning(List.of(context.acmeUser()));
                TenantApp.sleep(Duration.ofMillis(500));
            }
            for (Future<?> flooder : flooders) {
                flooder.get(1, TimeUnit.SECONDS);
            }
        } finally {
            flooding.set(false);
            flood.shutdownNow();
        }

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("victim", context.globex().tenant() + ": " + TRIVIAL);
        parameters.put("samples_each", sizes.noisySamples());
        parameters.put("loaded_window_s", sizes.noisyWindow().toSeconds());
        parameters.put("poll_interval_ms", sizes.pollInterval().toMillis());
        parameters.put("flood_tenant", context.acme().tenant());
        parameters.put("flood_heavy_sql", HEAVY);
        parameters.put("flood_heavy_in_flight", sizes.floodHeavy());
        parameters.put("flood_trivial_burst", sizes.floodBurst());
        parameters.put("flood_burst_period_ms", BURST_PERIOD.toMillis());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("unloaded_ms", unloaded);
        details.put("loaded_ms", loaded);
        details.put("flood_heavy_jobs_ended", heavyDone.get());
        details.put("flood_trivial_jobs_ended", trivialDone.get());
        details.put("acme_statements_running_in_warehouse_sampled", acmeRunning);
        return new ScenarioResult(name(), Latencies.millisSince(start) / 1000, parameters, List.of(
                Comparison.of("globex p50 latency", "ms", "unloaded", unloaded.p50(), "acme flooding", loaded.p50()),
                Comparison.of("globex p99 latency", "ms", "unloaded", unloaded.p99(), "acme flooding", loaded.p99()).withRatioAtMost(2)),
                details);
    }

    private static List<Double> samples(BenchContext context) {
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < context.sizes().noisySamples(); i++) {
            samples.add(sample(context));
        }
        return samples;
    }

    private static double sample(BenchContext context) {
        return context.globex().roundTripMillis(TRIVIAL, context.sizes().pollInterval(), BenchContext.JOB_DEADLINE);
    }

    /** The flood's own jobs may end any way (cancelled at the end, refused): only that they end matters. */
    private static void awaitQuietly(TenantApp tenant, String jobId) {
        try {
            tenant.awaitTerminal(jobId, FLOOD_POLL, BenchContext.JOB_DEADLINE);
        } catch (IllegalStateException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
        }
    }
}
