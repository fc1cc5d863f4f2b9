package dev.spectra.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A warm {@code SELECT 1}, one at a time: acme's round trip through Spectra (submit, poll, results) against the
 * same statement as acme's database user straight through the Data API. The two paths alternate which goes first.
 */
final class WarmTrivial implements Scenario {

    static final String SQL = "SELECT 1";
    /** The query worker's per-step timer ({@code spectra.jobs.step}). */
    private static final String STEP = "spectra_jobs_step_seconds";

    @Override
    public String name() {
        return "warm-trivial";
    }

    @Override
    public String description() {
        return "acme's SELECT 1 end to end through Spectra vs the same statement through the Data API directly";
    }

    @Override
    public ScenarioResult run(BenchContext context) {
        Sizes sizes = context.sizes();
        long start = System.nanoTime();
        for (int i = 0; i < sizes.warmUp(); i++) {
            spectra(context);
            direct(context);
        }
        List<Double> spectra = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        Map<String, Double> stepSecondsBefore = context.queryWorker().byTag(STEP + "_sum", "step");
        Map<String, Double> stepCountBefore = context.queryWorker().byTag(STEP + "_count", "step");
        for (int i = 0; i < sizes.trivialSamples(); i++) {
            if (i % 2 == 0) {
                spectra.add(spectra(context));
                direct.add(direct(context));
            } else {
                direct.add(direct(context));
                spectra.add(spectra(context));
            }
        }
        Map<String, Double> stepSeconds = context.queryWorker().byTag(STEP + "_sum", "step");
        Map<String, Double> stepCount = context.queryWorker().byTag(STEP + "_count", "step");
        // Where a sample's time went in the query worker: the mean of each step over the measured samples.
        Map<String, Long> stepMeanMicros = new LinkedHashMap<>();
        stepSeconds.forEach((step, seconds) -> {
            double count = stepCount.getOrDefault(step, 0.0) - stepCountBefore.getOrDefault(step, 0.0);
            if (count > 0) {
                stepMeanMicros.put(step, Math.round((seconds - stepSecondsBefore.getOrDefault(step, 0.0)) / count * 1e6));
            }
        });
        System.out.println("bench: warm-trivial, mean of each query-worker step (us): " + stepMeanMicros);
        Latencies through = Latencies.ofMillis(spectra);
        Latencies baseline = Latencies.ofMillis(direct);

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("sql", SQL);
        parameters.put("tenant", context.acme().tenant());
        parameters.put("warm_up_per_path", sizes.warmUp());
        parameters.put("samples_per_path", sizes.trivialSamples());
        parameters.put("poll_interval_ms", sizes.pollInterval().toMillis());
        parameters.put("first_poll", "immediately after submit, then every poll_interval_ms");
        return new ScenarioResult(name(), Latencies.millisSince(start) / 1000, parameters, List.of(
                Comparison.of("p50 latency", "ms", "Data API direct", baseline.p50(), "Spectra e2e", through.p50()).withAddedAtMost(50),
                Comparison.of("p99 latency", "ms", "Data API direct", baseline.p99(), "Spectra e2e", through.p99()).withAddedAtMost(150)),
                Map.of("spectra_ms", through, "direct_ms", baseline, "query_worker_step_mean_us", stepMeanMicros));
    }

    private static double spectra(BenchContext context) {
        return context.acme().roundTripMillis(SQL, context.sizes().pollInterval(), BenchContext.JOB_DEADLINE);
    }

    private static double direct(BenchContext context) {
        return context.direct().run(context.acmeUser(), SQL, context.sizes().pollInterval(), BenchContext.JOB_DEADLINE).clientMillis();
    }
}
