package dev.spectra.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * Plays the gateway (and the storage behind presigned links) in process, on the JDK's HTTP server: each route
 * answers its scripted responses in turn, repeating the last one, and every request is recorded.
 */
final class FakeGateway implements AutoCloseable {

    static final String TOKEN = "secret-token-abc123";
    static final String TENANT = "acme";

    /** A request as it arrived; header names lower-case. */
    record Request(String method, String path, String query, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A scripted answer. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        Response {
            headers = Map.copyOf(headers);
            requireNonNull(body, "body is null");
        }

        static Response json(int status, String body) {
            return new Response(status, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
        }

        static Response problem(int status, String code, String detail) {
            return new Response(status, Map.of("Content-Type", "application/problem+json"),
                    ("{\"type\":\"urn:spectra:problem:x\",\"title\":\"t\",\"status\":" + status + ",\"detail\":\"" + detail
                            + "\",\"code\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8));
        }

        static Response bytes(String text) {
            return new Response(200, Map.of("Content-Type", "application/octet-stream"), text.getBytes(StandardCharsets.UTF_8));
        }

        Response withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, more, body);
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Response>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    URI url(String path) {
        return URI.create(url() + path);
    }

    Connection connection() {
        return new Connection(url(), TENANT, TOKEN);
    }

    GatewayClient client(Pause pause) {
        return new GatewayClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), connection(),
                JsonMapper.builder().build(), pause);
    }

    /** Scripts {@code method path} (the path without its query) to answer these, in turn, then the last one again. */
    FakeGateway on(String method, String path, Response... responses) {
        routes.put(method + " " + path, new ArrayDeque<>(List.of(responses)));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String path) {
        return requests.stream().filter(request -> request.method().equals(method) && request.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            requests.add(new Request(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(), headers, body));

            Deque<Response> scripted = routes.get(exchange.getRequestMethod() + " " + uri.getPath());
            Response response;
            if (scripted == null) {
                response = Response.problem(404, "NOT_SCRIPTED", exchange.getRequestMethod() + " " + uri.getPath());
            } else {
                synchronized (scripted) {
                    response = scripted.size() > 1 ? scripted.poll() : scripted.peek();
                }
            }
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A job document as the gateway answers it. */
    static String job(String jobId, String status) {
        return "{\"job_id\":\"" + jobId + "\",\"status\":\"" + status + "\",\"submitted_at\":\"2026-11-25T02:48:03.524Z\","
                + "\"updated_at\":\"2026-11-25T02:48:03.524Z\",\"timeout_seconds\":900}";
    }
}
