package dev.spectra.bench;

import java.util.Arrays;
import java.util.Collection;

/** Latency samples in milliseconds, summarised by nearest-rank percentiles. */
public record Latencies(int count, double p50, double p99, double mean, double max) {

    public static Latencies ofMillis(Collection<Double> samples) {
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latencies(sorted.length, percentile(sorted, 50), percentile(sorted, 99),
                Arrays.stream(sorted).average().orElseThrow(), sorted[sorted.length - 1]);
    }

    static double percentile(double[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
