package dev.spectra.cli;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The gateway's statement API as the client uses it, with the retries in one place: a request that found no
 * connection is sent again (up to 3 times), a {@code 429} after its {@code Retry-After} (up to 5 times), a 5xx after
 * its {@code Retry-After} or a short back-off (up to 3 times). Resending is safe: reads are reads, a submission
 * carries the same {@code Idempotency-Key} each time, and a second cancel is a {@code 409}.
 */
final class GatewayClient {

    /** How long each status request holds: long enough to be cheap, short enough to notice a dead gateway. */
    static final Duration LONG_POLL = Duration.ofSeconds(5);
    static final int CONNECTION_RETRIES = 3;
    static final int RATE_LIMIT_RETRIES = 5;
    static final int SERVER_ERROR_RETRIES = 3;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
    private static final Duration FIRST_BACK_OFF = Duration.ofMillis(500);
    private static final String USER_AGENT = "spectra-cli";

    /** What became of a cancel request. */
    enum Cancellation { CANCELLED, ALREADY_ENDED }

    /** Reads a downloaded body; the stream is closed afterwards. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    private final HttpClient http;
    private final Connection connection;
    private final JsonMapper json;
    private final Pause pause;

    GatewayClient(HttpClient http, Connection connection, JsonMapper json, Pause pause) {
        this.http = requireNonNull(http, "http is null");
        this.connection = requireNonNull(connection, "connection is null");
        this.json = requireNonNull(json, "json is null");
        this.pause = requireNonNull(pause, "pause is null");
    }

    Connection connection() {
        return connection;
    }

    /** {@code POST /v1/queries}: 202 with the new job, or 200 with the same job for a key the gateway has seen. */
    Job submit(ObjectNode body, String idempotencyKey) throws InterruptedException {
        HttpRequest request = api("/v1/queries", REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        return Job.from(expect(send(request), Set.of(200, 202)));
    }

    /** A long poll of the job: the ended job as soon as it ends (200), or the job as it stands after the wait (202). */
    Job poll(String jobId) throws InterruptedException {
        HttpRequest request = api("/v1/queries/" + jobId + "?wait_seconds=" + LONG_POLL.toSeconds(), REQUEST_TIMEOUT.plus(LONG_POLL))
                .GET().build();
        return Job.from(expect(send(request), Set.of(200, 202)));
    }

    /** {@code GET /v1/queries/{id}/results}: the manifest, with chunk 0's rows for an inline result. */
    JsonNode manifest(String jobId) throws InterruptedException {
        return expect(send(api("/v1/queries/" + jobId + "/results", REQUEST_TIMEOUT).GET().build()), Set.of(200));
    }

    /** One chunk: its rows (inline) or a freshly signed link (export). */
    JsonNode chunk(String jobId, int index) throws InterruptedException {
        return expect(send(api("/v1/queries/" + jobId + "/results/chunks/" + index, REQUEST_TIMEOUT).GET().build()), Set.of(200));
    }

    Cancellation cancel(String jobId) throws InterruptedException {
        HttpResponse<String> response = send(api("/v1/queries/" + jobId + "/cancel", REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        return switch (response.statusCode()) {
            case 200 -> Cancellation.CANCELLED;
            case 409 -> Cancellation.ALREADY_ENDED;
            default -> throw new ProblemException(Problem.from(response.statusCode(), response.body(), json));
        };
    }

    /**
     * A plain GET of a presigned link, without the gateway's headers: the signature in the URL is the permission.
     * The link itself is never put in a message, since it works for anyone holding it until it expires.
     */
    <T> T download(URI link, BodyReader<T> reader) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(link).timeout(REQUEST_TIMEOUT).header("User-Agent", USER_AGENT).GET().build();
        int connectionFailures = 0;
        int serverErrors = 0;
        while (true) {
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                if (connectionFailures++ >= CONNECTION_RETRIES) {
                    throw new UnavailableException("the result's storage did not answer: " + describe(e));
                }
                pause.pause(backOff(connectionFailures));
                continue;
            }
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status >= 500 && serverErrors++ < SERVER_ERROR_RETRIES) {
                    body.transferTo(OutputStream.nullOutputStream()); // read to the end so the connection can be reused
                    pause.pause(retryAfter(response, backOff(serverErrors)));
                    continue;
                }
                if (status != 200) {
                    String text = new String(body.readNBytes(2_000), StandardCharsets.UTF_8);
                    throw new ProblemException(new Problem(status, "DOWNLOAD_FAILED",
                            "the result's storage answered " + status + " to a chunk link" + (text.isBlank() ? "" : " (" + firstLine(text) + ")")));
                }
                return reader.read(body);
            } catch (IOException e) {
                throw new UnavailableException("the download of a result chunk broke off: " + describe(e));
            }
        }
    }

    private HttpRequest.Builder api(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(connection.gateway() + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + connection.token())
                .header("X-Tenant-ID", connection.tenant())
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
    }

    private HttpResponse<String> send(HttpRequest request) throws InterruptedException {
        int connectionFailures = 0;
        int rateLimited = 0;
        int serverErrors = 0;
        while (true) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (connectionFailures++ >= CONNECTION_RETRIES) {
                    throw new UnavailableException("the gateway at " + connection.gateway() + " did not answer: " + describe(e));
                }
                pause.pause(backOff(connectionFailures));
                continue;
            }
            int status = response.statusCode();
            if (status == 429 && rateLimited++ < RATE_LIMIT_RETRIES) {
                pause.pause(retryAfter(response, DEFAULT_RETRY_AFTER));
            } else if (status >= 500 && serverErrors++ < SERVER_ERROR_RETRIES) {
                pause.pause(retryAfter(response, backOff(serverErrors)));
            } else {
                return response;
            }
        }
    }

    private JsonNode expect(HttpResponse<String> response, Set<Integer> statuses) {
        if (!statuses.contains(response.statusCode())) {
            throw new ProblemException(Problem.from(response.statusCode(), response.body(), json));
        }
        return json.readTree(response.body());
    }

    /** The answer's {@code Retry-After} in seconds, bounded so that a confused server cannot park the client for hours. */
    static Duration retryAfter(HttpResponse<?> response, Duration otherwise) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                long seconds = Long.parseLong(value.strip());
                return seconds < 0 ? otherwise : Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()));
            } catch (NumberFormatException e) {
                return otherwise; // an HTTP date: not worth parsing for a hint
            }
        }).orElse(otherwise);
    }

    private static Duration backOff(int attempt) {
        return FIRST_BACK_OFF.multipliedBy(1L << Math.min(attempt - 1, 4));
    }

    /** The first message along the causes; the JDK's client reports a refused connection with none at all. */
    private static String describe(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
