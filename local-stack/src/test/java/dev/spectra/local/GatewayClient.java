package dev.spectra.local;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A tenant application's view of the gateway, as plain HTTP. */
final class GatewayClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI gateway;

    GatewayClient(URI gateway) {
        this.gateway = gateway;
    }

    /** A response with its body parsed, when it is JSON. */
    record Answer(int status, String contentType, String body, Map<String, String> headers) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String text(String field) {
            JsonNode node = json().get(field);
            return node == null || node.isNull() ? null : node.asString();
        }
    }

    /** The job id of a submission the gateway accepted; fails with the gateway's answer when it was not a 202. */
    static String acceptedJobId(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        return answer.text("job_id");
    }

    /** Reads the job's status until it has ended, for at most {@code deadline}; returns that terminal status. */
    String awaitEnd(String token, String tenantHeader, String jobId, Duration deadline) {
        String[] status = new String[1];
        await().atMost(deadline).pollInterval(Duration.ofMillis(200)).until(() -> {
            status[0] = status(token, tenantHeader, jobId).text("status");
            return TERMINAL.contains(status[0]);
        });
        return status[0];
    }

    Answer submit(String token, String tenantHeader, String sql) {
        return submitRaw(token, tenantHeader, JSON.writeValueAsString(Map.of("sql", sql)));
    }

    Answer submitRaw(String token, String tenantHeader, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve("/v1/queries"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(authorised(request, token, tenantHeader));
    }

    Answer status(String token, String tenantHeader, String jobId) {
        return send(authorised(HttpRequest.newBuilder(gateway.resolve("/v1/queries/" + jobId)).GET(), token, tenantHeader));
    }

    Answer results(String token, String tenantHeader, String jobId) {
        return send(authorised(HttpRequest.newBuilder(gateway.resolve("/v1/queries/" + jobId + "/results")).GET(), token, tenantHeader));
    }

    Answer submitWithKey(String token, String tenantHeader, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve("/v1/queries"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(authorised(request, token, tenantHeader));
    }

    /** The {@code data:} lines of a Server-Sent Events stream, read until the stream ends or {@code within} passes. */
    java.util.List<String> eventData(String token, String tenantHeader, String path, Duration within) {
        return eventData(token, tenantHeader, path, within, new java.util.ArrayList<>());
    }

    /** As above, adding each {@code data:} line to {@code data} as it arrives. */
    java.util.List<String> eventData(String token, String tenantHeader, String path, Duration within, java.util.List<String> data) {
        HttpRequest request = authorised(HttpRequest.newBuilder(gateway.resolve(path)).header("Accept", "text/event-stream").GET(),
                token, tenantHeader).timeout(within).build();
        try {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
            try (java.util.stream.Stream<String> lines = response.body()) {
                lines.filter(line -> line.startsWith("data:")).forEach(line -> data.add(line.substring(5)));
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST path} with an empty body: {@code /v1/queries/{id}/cancel}. */
    Answer post(String token, String tenantHeader, String path) {
        return send(authorised(HttpRequest.newBuilder(gateway.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()), token,
                tenantHeader));
    }

    Answer chunk(String token, String tenantHeader, String path) {
        return send(authorised(HttpRequest.newBuilder(gateway.resolve(path)).GET(), token, tenantHeader));
    }

    /** Downloads a link's bytes with plain HTTP, as any client of a presigned URL would. */
    byte[] download(URI link) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(link).timeout(Duration.ofMinutes(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + link + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /v1/queries?query}: the tenant's jobs. */
    Answer list(String token, String tenantHeader, String query) {
        return send(authorised(HttpRequest.newBuilder(gateway.resolve("/v1/queries?" + query)).GET(), token, tenantHeader));
    }

    Answer get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    private static HttpRequest.Builder authorised(HttpRequest.Builder request, String token, String tenantHeader) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (tenantHeader != null) {
            request.header("X-Tenant-ID", tenantHeader);
        }
        return request;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
            return new Answer(response.statusCode(), headers.getOrDefault("content-type", ""), response.body(), headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
