package dev.spectra.bench;

import org.postgresql.PGConnection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A large CSV export: rows per second through Spectra (submit, the warehouse's UNLOAD, the manifest, every file
 * downloaded through its link) against {@code COPY (SELECT …) TO STDOUT (FORMAT csv)} on the same PostgreSQL as
 * the same tenant user, in the same run; then the same rows paged out of the Data API as CSV and streamed by the
 * delivery worker; and the delivery worker's peak heap during each.
 */
final class Export implements Scenario {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    private static final int GLOBEX_SAMPLES = 20;
    /** The export's submit and statement, before its delivery starts paging. */
    private static final Duration NEIGHBOUR_RAMP = Duration.ofSeconds(2);

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String description() {
        return "CSV export of a large cross join: rows/s through Spectra (links downloaded) vs COPY TO STDOUT on the same PostgreSQL";
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        long rows = context.sizes().exportRows();
        // acme has 3,000 orders: a cross join with enough of them gives the rows wanted, all acme's.
        String sql = "SELECT a.tenant_id, a.order_id, a.region, a.amount, b.order_id AS other FROM sales a CROSS JOIN "
                + "(SELECT order_id FROM sales ORDER BY order_id LIMIT " + Math.max(1, rows / 3000) + ") b";
        long baselineStart = System.nanoTime();
        long copied = copyOut(context, sql);
        double baselineSeconds = (System.nanoTime() - baselineStart) / 1e9;

        // The request as a client asks it: CSV links, which the warehouse's UNLOAD writes; then the same rows paged
        // out of the Data API as CSV and streamed by the delivery worker (a byte limit far beyond the result).
        Run unloaded = throughSpectra(context, Map.of("sql", sql, "disposition", "EXTERNAL_LINKS", "format", "CSV"));
        // globex's SELECT 1 with the system idle, then while the delivery worker streams acme's paged export: a large
        // export must not delay another tenant's small delivery.
        Latencies idle = Latencies.ofMillis(globexSamples(context, () -> true, GLOBEX_SAMPLES));
        AtomicBoolean exporting = new AtomicBoolean(true);
        Run paged;
        List<Double> duringExport;
        try (ExecutorService neighbour = Executors.newSingleThreadExecutor()) {
            Future<List<Double>> sampled = neighbour.submit(() -> {
                TenantApp.sleep(NEIGHBOUR_RAMP);
                return globexSamples(context, exporting::get, Integer.MAX_VALUE);
            });
            try {
                paged = throughSpectra(context, Map.of("sql", sql, "disposition", "EXTERNAL_LINKS", "format", "CSV",
                        "byte_limit", 1L << 40));
            } finally {
                exporting.set(false);
            }
            duringExport = sampled.get();
        }
        Latencies loaded = Latencies.ofMillis(duringExport);

        double baselineRate = copied / baselineSeconds;
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("sql", sql);
        parameters.put("rows", unloaded.rows());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("copy_rows", copied);
        details.put("copy_seconds", baselineSeconds);
        details.put("unload_seconds", unloaded.seconds());
        details.put("unload_chunks", unloaded.chunks());
        details.put("unload_downloaded_bytes", unloaded.downloadedBytes());
        details.put("unload_delivery_worker_peak_heap_mb", unloaded.peakHeapBytes() / 1024 / 1024);
        details.put("paged_rows", paged.rows());
        details.put("paged_seconds", paged.seconds());
        details.put("paged_chunks", paged.chunks());
        details.put("paged_downloaded_bytes", paged.downloadedBytes());
        details.put("paged_delivery_worker_peak_heap_mb", paged.peakHeapBytes() / 1024 / 1024);
        details.put("globex_idle_ms", idle);
        details.put("globex_during_export_ms", loaded);
        return new ScenarioResult(name(), baselineSeconds + unloaded.seconds() + paged.seconds(), parameters, List.of(
                Comparison.of("export rows per second", "rows/s", "COPY TO STDOUT", baselineRate,
                        "Spectra, links downloaded (UNLOAD)", unloaded.rows() / unloaded.seconds()).withRatioAtLeast(0.5),
                Comparison.of("export rows per second, paged", "rows/s", "COPY TO STDOUT", baselineRate,
                        "Spectra, links downloaded (Data API CSV pages)", paged.rows() / paged.seconds()),
                Comparison.of("globex SELECT 1 e2e p50 during acme's paged export", "ms", "idle", idle.p50(),
                        "during the export", loaded.p50()).withRatioAtMost(2),
                Comparison.of("globex SELECT 1 e2e p99 during acme's paged export", "ms", "idle", idle.p99(),
                        "during the export", loaded.p99()).withRatioAtMost(2)),
                details);
    }

    /** globex's {@code SELECT 1} round trips, one after the other, while {@code going} holds, at most {@code count}. */
    private static List<Double> globexSamples(BenchContext context, java.util.function.BooleanSupplier going, int count) {
        List<Double> samples = new java.util.ArrayList<>();
        while (going.getAsBoolean() && samples.size() < count) {
            samples.add(context.globex().roundTripMillis("SELECT 1", context.sizes().pollInterval(), BenchContext.JOB_DEADLINE));
        }
        return samples;
    }

    /** One export through Spectra, from submit to every chunk downloaded, with the delivery worker's peak heap meanwhile. */
    private record Run(long rows, double seconds, int chunks, long downloadedBytes, double peakHeapBytes) {}

    private static Run throughSpectra(BenchContext context, Map<String, Object> request) throws Exception {
        AtomicBoolean sampling = new AtomicBoolean(true);
        double[] peakHeap = {0};
        long start = System.nanoTime();
        long delivered;
        long downloadedBytes = 0;
        int chunks;
        try (ExecutorService sampler = Executors.newSingleThreadExecutor()) {
            Future<?> sampled = sampler.submit(() -> {
                while (sampling.get()) {
                    peakHeap[0] = Math.max(peakHeap[0], heapUsed(context));
                    TenantApp.sleep(SAMPLE_EVERY);
                }
            });
            TenantApp acme = context.acme();
            String jobId = acme.submit(request);
            TenantApp.Job job = acme.awaitTerminal(jobId, Duration.ofMillis(100), BenchContext.JOB_DEADLINE);
            if (!job.status().equals("SUCCEEDED")) {
                throw new IllegalStateException("the export ended " + job.status());
            }
            JsonNode manifest = JSON.readTree(acme.results(jobId));
            delivered = manifest.get("total_row_count").asLong();
            chunks = manifest.get("chunks").size();
            for (JsonNode chunk : manifest.get("chunks")) {
                downloadedBytes += acme.download(chunk.get("external_link").asString());
            }
            sampling.set(false);
            sampled.get();
        } finally {
            sampling.set(false);
        }
        return new Run(delivered, (System.nanoTime() - start) / 1e9, chunks, downloadedBytes, peakHeap[0]);
    }

    /** COPY as the tenant's own user, so that row-level security shapes the same rows; returns the rows copied. */
    private static long copyOut(BenchContext context, String sql) throws Exception {
        try (Connection connection = context.stack().warehouse().administratorDataSource().getConnection();
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SET LOCAL ROLE \"" + context.acmeUser() + "\"");
            long rows = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (" + sql + ") TO STDOUT (FORMAT csv, HEADER)", OutputStream.nullOutputStream());
            connection.rollback();
            return rows;
        }
    }

    private static double heapUsed(BenchContext context) {
        try {
            return new Prometheus(context.http(), context.stack().managementEndpoints().get("delivery-worker"))
                    .byTag("jvm_memory_used_bytes", "area").getOrDefault("heap", 0.0);
        } catch (RuntimeException notAnswering) {
            return 0;
        }
    }
}
