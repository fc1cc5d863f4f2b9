package dev.spectra.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One tenant application talking plain HTTP to the gateway, as a customer would: submits (waiting out
 * {@code 429} for as long as {@code Retry-After} says), polls the job at a fixed interval and reads its results.
 */
final class TenantApp {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
    private static final Duration SUBMIT_PATIENCE = Duration.ofMinutes(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A job as GET /v1/queries/{id} describes it; the timestamps are the gateway's and the workers'. */
    record Job(String id, String status, Instant submittedAt, Instant updatedAt) {
        boolean terminal() {
            return TERMINAL.contains(status);
        }

        double serverMillis() {
            return Duration.between(submittedAt, updatedAt).toNanos() / 1e6;
        }
    }

    private final HttpClient http;
    private final URI gateway;
    private final String tenant;
    private final String token;
    private final AtomicLong throttled = new AtomicLong();
    private volatile long lastRemaining = -1;

    TenantApp(HttpClient http, URI gateway, String tenant, String token) {
        this.http = http;
        this.gateway = gateway;
        this.tenant = tenant;
        this.token = token;
    }

    String tenant() {
        return tenant;
    }

    /** 429 answers received so far (each waited out). */
    long throttled() {
        return throttled.get();
    }

    /** X-RateLimit-Remaining of the last accepted submission, -1 before the first. */
    long lastRemaining() {
        return lastRemaining;
    }

    /** Submits and returns the job id. */
    String submit(String sql) {
        Submission submission = trySubmit(sql);
        if (submission.status() != 202) {
            throw new IllegalStateException(tenant + ": submitting '" + sql + "' answered " + submission.status() + " " + submission.body());
        }
        return submission.jobId();
    }

    /** The gateway's answer to a submission: 202 with the job id, or e.g. 503 (with the job id it recorded as FAILED). */
    record Submission(int status, String jobId, Duration retryAfter, String body) {
    }

    /** Submits a request with delivery options beside its SQL; returns the job id. */
    String submit(Map<String, Object> body) {
        HttpResponse<String> response = send(request("/v1/queries")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        if (response.statusCode() != 202) {
            throw new IllegalStateException(tenant + ": submitting " + body + " answered " + response.statusCode() + " " + response.body());
        }
        return jobIdOf(response.body()).asString();
    }

    /** Downloads a presigned link with plain HTTP; returns the bytes read. */
    long download(String link) {
        try {
            HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(java.net.URI.create(link)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + link + " answered " + response.statusCode());
                }
                return body.transferTo(java.io.OutputStream.nullOutputStream());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Submits, waiting out 429s; the first other answer, 202 or not. */
    Submission trySubmit(String sql) {
        Instant giveUp = Instant.now().plus(SUBMIT_PATIENCE);
        while (true) {
            HttpResponse<String> response = send(request("/v1/queries")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sql", sql)))));
            long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
            Duration wait = Duration.ofSeconds(Math.max(retryAfter, 0)).plusMillis(retryAfter <= 0 ? 100 : 0);
            if (response.statusCode() == 429 && Instant.now().isBefore(giveUp)) {
                throttled.incrementAndGet();
                sleep(wait);
                continue;
            }
            if (response.statusCode() == 202) {
                response.headers().firstValueAsLong("X-RateLimit-Remaining").ifPresent(remaining -> lastRemaining = remaining);
            }
            JsonNode jobId = response.body().isBlank() ? null : jobIdOf(response.body());
            return new Submission(response.statusCode(), jobId == null ? null : jobId.asString(), wait, response.body());
        }
    }

    private static JsonNode jobIdOf(String body) {
        try {
            JsonNode id = JSON.readTree(body).get("job_id");
            return id == null || id.isNull() ? null : id;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** POSTs {@code body} as JSON to {@code path} and returns the answer, whatever its status: for scenarios that time and count every request. */
    HttpResponse<String> post(String path, Map<String, Object> body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** GETs {@code path} (its query included) and returns the answer, whatever its status. */
    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    Job status(String jobId) {
        HttpResponse<String> response = send(request("/v1/queries/" + jobId).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(tenant + ": status of " + jobId + " answered " + response.statusCode() + " " + response.body());
        }
        JsonNode body = JSON.readTree(response.body());
        return new Job(jobId, body.get("status").asString(),
                Instant.parse(body.get("submitted_at").asString()), Instant.parse(body.get("updated_at").asString()));
    }

    String results(String jobId) {
        HttpResponse<String> response = send(request("/v1/queries/" + jobId + "/results").GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(tenant + ": results of " + jobId + " answered " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** Polls immediately, then every {@code interval}, until the job ends or {@code deadline} passes. */
    Job awaitTerminal(String jobId, Duration interval, Duration deadline) {
        long giveUp = System.nanoTime() + deadline.toNanos();
        while (true) {
            Job job = status(jobId);
            if (job.terminal()) {
                return job;
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException(tenant + ": job " + jobId + " still " + job.status() + " after " + deadline);
            }
            sleep(interval);
        }
    }

    /** Submit, poll until SUCCEEDED, read the results: the milliseconds a tenant waits for its answer. */
    double roundTripMillis(String sql, Duration interval, Duration deadline) {
        long start = System.nanoTime();
        String jobId = submit(sql);
        Job job = awaitTerminal(jobId, interval, deadline);
        if (!job.status().equals("SUCCEEDED")) {
            throw new IllegalStateException(tenant + ": '" + sql + "' ended " + job.status());
        }
        results(jobId);
        return Latencies.millisSince(start);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("X-Tenant-ID", tenant);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(tenant + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
