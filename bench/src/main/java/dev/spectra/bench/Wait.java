package dev.spectra.bench;

import dev.spectra.local.LocalStack;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long a client waits for acme's {@code SELECT 1} to be SUCCEEDED, three ways: one {@code POST} with
 * {@code wait_seconds}, answered 200 with the ended job and its rows; {@code POST}, then one long-poll {@code GET} with
 * {@code wait_seconds}; against {@code POST}, then {@code GET} every 10 ms (warm-trivial's e2e without the results
 * read). One sample of each in turn, the order rotating, so that machine noise hits all three alike. Also counted: the
 * HTTP requests each needed per job, and the gateway's CPU per job.
 */
final class Wait implements Scenario {

    static final String SQL = "SELECT 1";
    static final int WAIT_SECONDS = 10;
    private static final int WARM_UP_PER_WAY = 5;
    private static final String GATEWAY = LocalStack.GATEWAY_MODULE;

    @Override
    public String name() {
        return "wait";
    }

    @Override
    public String description() {
        return "SELECT 1 until SUCCEEDED: one POST with wait_seconds, and POST then one long-poll GET, vs POST then GET every 10 ms";
    }

    enum Way {
        POLLING("POST, GET every 10 ms"),
        SUBMIT_WAITING("POST with wait_seconds"),
        LONG_POLL("POST, GET with wait_seconds");

        final String label;

        Way(String label) {
            this.label = label;
        }
    }

    /** One job waited for: the client's milliseconds, its HTTP requests, whether the answer carried the rows, the gateway's CPU. */
    record Sample(double millis, int requests, boolean rowsInAnswer, double gatewayCpuMillis) {
    }

    @Override
    public ScenarioResult run(BenchContext context) {
        Sizes sizes = context.sizes();
        long start = System.nanoTime();
        TenantApp tenant = context.acme();
        ProcessHandle gateway = CpuTime.process(GATEWAY).orElse(null);
        List<Way> ways = List.of(Way.values());
        for (int i = 0; i < WARM_UP_PER_WAY; i++) {
            ways.forEach(way -> sample(way, tenant, sizes.pollInterval(), gateway));
        }
        Map<Way, List<Sample>> samples = new EnumMap<>(Way.class);
        ways.forEach(way -> samples.put(way, new ArrayList<>()));
        for (int i = 0; i < sizes.waitSamples(); i++) {
            for (int w = 0; w < ways.size(); w++) {
                Way way = ways.get((i + w) % ways.size());
                samples.get(way).add(sample(way, tenant, sizes.pollInterval(), gateway));
            }
        }

        Map<Way, Latencies> millis = new EnumMap<>(Way.class);
        samples.forEach((way, taken) -> millis.put(way, Latencies.ofMillis(taken.stream().map(Sample::millis).toList())));
        Latencies polling = millis.get(Way.POLLING);
        List<Comparison> comparisons = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        for (Way way : List.of(Way.SUBMIT_WAITING, Way.LONG_POLL)) {
            Latencies waited = millis.get(way);
            comparisons.add(Comparison.of("p50 until SUCCEEDED", "ms", Way.POLLING.label, polling.p50(), way.label, waited.p50()));
            comparisons.add(Comparison.of("p99 until SUCCEEDED", "ms", Way.POLLING.label, polling.p99(), way.label, waited.p99()));
        }
        for (Way way : List.of(Way.SUBMIT_WAITING, Way.LONG_POLL)) {
            comparisons.add(Comparison.of("answers that ended the wait with result.rows", "answers", "samples", samples.get(way).size(),
                    way.label, samples.get(way).stream().filter(Sample::rowsInAnswer).count()).withRatioAtLeast(1));
        }
        for (Way way : List.of(Way.SUBMIT_WAITING, Way.LONG_POLL)) {
            comparisons.add(Comparison.of("HTTP requests per job (mean)", "requests", Way.POLLING.label, meanRequests(samples.get(Way.POLLING)),
                    way.label, meanRequests(samples.get(way))));
        }
        for (Way way : ways) {
            List<Sample> taken = samples.get(way);
            Map<String, Object> of = new LinkedHashMap<>();
            of.put("ms", millis.get(way));
            of.put("added_p50_ms_vs_polling", millis.get(way).p50() - polling.p50());
            of.put("added_p99_ms_vs_polling", millis.get(way).p99() - polling.p99());
            of.put("requests_mean", meanRequests(taken));
            of.put("requests_max", taken.stream().mapToInt(Sample::requests).max().orElse(0));
            of.put("answers_with_rows", taken.stream().filter(Sample::rowsInAnswer).count());
            of.put("gateway_cpu_ms_per_job", gateway == null ? null : taken.stream().mapToDouble(Sample::gatewayCpuMillis).average().orElse(0));
            details.put(way.name().toLowerCase(java.util.Locale.ROOT), of);
        }

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("sql", SQL);
        parameters.put("tenant", tenant.tenant());
        parameters.put("wait_seconds", WAIT_SECONDS);
        parameters.put("samples_per_way", sizes.waitSamples());
        parameters.put("warm_up_per_way", WARM_UP_PER_WAY);
        parameters.put("poll_interval_ms", sizes.pollInterval().toMillis());
        parameters.put("order", "one sample of each way in turn, the first way rotating");
        return new ScenarioResult(name(), Latencies.millisSince(start) / 1000, parameters, comparisons, details);
    }

    private static double meanRequests(List<Sample> samples) {
        return samples.stream().mapToInt(Sample::requests).average().orElse(Double.NaN);
    }

    private static Sample sample(Way way, TenantApp tenant, Duration interval, ProcessHandle gateway) {
        double cpuBefore = gateway == null ? 0 : CpuTime.cpuSeconds(gateway);
        long start = System.nanoTime();
        Ended ended = switch (way) {
            case SUBMIT_WAITING -> submitWaiting(tenant);
            case POLLING -> polling(tenant, interval);
            case LONG_POLL -> longPoll(tenant);
        };
        double millis = Latencies.millisSince(start);
        if (!ended.status().equals("SUCCEEDED")) {
            throw new IllegalStateException("wait: " + way.label + ": '" + SQL + "' ended " + ended.status());
        }
        double cpuMillis = gateway == null ? 0 : (CpuTime.cpuSeconds(gateway) - cpuBefore) * 1000;
        return new Sample(millis, ended.requests(), ended.rowsInAnswer(), cpuMillis);
    }

    /** The job's end as the client saw it: its status, the requests it took, whether the last answer had {@code result.rows}. */
    record Ended(String status, int requests, boolean rowsInAnswer) {
    }

    /** One request, answered 200 with the ended job (and its rows); should the wait elapse (202), long polls until it ends. */
    private static Ended submitWaiting(TenantApp tenant) {
        HttpResponse<String> response = tenant.post("/v1/queries", Map.of("sql", SQL, "wait_seconds", WAIT_SECONDS));
        if (response.statusCode() == 202) {
            Ended rest = longPollUntilEnded(tenant, jobIdOf(response));
            return new Ended(rest.status(), rest.requests() + 1, rest.rowsInAnswer());
        }
        return ended(response, 1).orElseThrow(() -> new IllegalStateException("wait: POST with wait_seconds answered "
                + response.statusCode() + " " + response.body()));
    }

    private static Ended polling(TenantApp tenant, Duration interval) {
        String jobId = submitted(tenant);
        int requests = 1;
        while (true) {
            HttpResponse<String> response = tenant.get("/v1/queries/" + jobId);
            requests++;
            JsonNode job = okJob(response);
            if (TenantApp.TERMINAL.contains(job.get("status").asString())) {
                return new Ended(job.get("status").asString(), requests, hasRows(job));
            }
            TenantApp.sleep(interval);
        }
    }

    private static Ended longPoll(TenantApp tenant) {
        Ended rest = longPollUntilEnded(tenant, submitted(tenant));
        return new Ended(rest.status(), rest.requests() + 1, rest.rowsInAnswer());
    }

    /** GETs with wait_seconds until one answers 200 with the ended job; the requests it took. */
    private static Ended longPollUntilEnded(TenantApp tenant, String jobId) {
        int requests = 0;
        while (true) {
            HttpResponse<String> response = tenant.get("/v1/queries/" + jobId + "?wait_seconds=" + WAIT_SECONDS);
            requests++;
            if (response.statusCode() != 202) {
                int sent = requests;
                return ended(response, sent).orElseThrow(() -> new IllegalStateException("wait: long poll of " + jobId + " answered "
                        + response.statusCode() + " " + response.body()));
            }
        }
    }

    private static String submitted(TenantApp tenant) {
        HttpResponse<String> response = tenant.post("/v1/queries", Map.of("sql", SQL));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("wait: POST answered " + response.statusCode() + " " + response.body());
        }
        return jobIdOf(response);
    }

    private static String jobIdOf(HttpResponse<String> response) {
        return TenantApp.JSON.readTree(response.body()).get("job_id").asString();
    }

    /** A 200 with an ended job, or empty. */
    private static Optional<Ended> ended(HttpResponse<String> response, int requests) {
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        JsonNode job = TenantApp.JSON.readTree(response.body());
        String status = job.path("status").asString();
        return TenantApp.TERMINAL.contains(status) ? Optional.of(new Ended(status, requests, hasRows(job))) : Optional.empty();
    }

    private static JsonNode okJob(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("wait: status answered " + response.statusCode() + " " + response.body());
        }
        return TenantApp.JSON.readTree(response.body());
    }

    private static boolean hasRows(JsonNode job) {
        return job.path("result").path("rows").isArray();
    }
}
