package dev.spectra.local.dataapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import static java.util.Objects.requireNonNull;

/**
 * {@code /__faults}: {@link DataApiFaults} over HTTP, for tests that drive the emulator in another process.
 * Loopback callers only. {@code GET} lists the faults armed since the last clear with their counts;
 * {@code POST} arms one, drops connections or clears, by a JSON body (see {@link DataApiEmulator}).
 */
final class DataApiFaultsHttpHandler implements HttpHandler {

    static final String PATH = "/__faults";
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final DataApiFaults faults;
    private final DataApiJson json;
    private final JsonMapper mapper;

    DataApiFaultsHttpHandler(DataApiFaults faults, DataApiJson json, JsonMapper mapper) {
        this.faults = requireNonNull(faults, "faults is null");
        this.json = requireNonNull(json, "json is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
                send(exchange, 403, message("Faults can be armed from loopback only."));
                return;
            }
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                send(exchange, 404, message("No such fault resource."));
                return;
            }
            try {
                switch (exchange.getRequestMethod()) {
                    case "GET" -> send(exchange, 200, list());
                    case "POST" -> {
                        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
                        if (body.length > MAX_BODY_BYTES) {
                            throw new IllegalArgumentException("The fault body is larger than " + MAX_BODY_BYTES + " bytes.");
                        }
                        send(exchange, 200, apply(json.parse(body)));
                    }
                    default -> send(exchange, 405, message("Use GET or POST."));
                }
            } catch (DataApiException | IllegalArgumentException | DateTimeParseException e) {
                send(exchange, 400, message(e.getMessage()));
            }
        }
    }

    private ObjectNode apply(JsonNode body) {
        String name = json.string(body, "fault");
        if (name == null) {
            throw new IllegalArgumentException("Member fault is required.");
        }
        return switch (name) {
            case "clear" -> {
                faults.clear();
                yield mapper.createObjectNode().put("cleared", true);
            }
            case "dropConnections" -> mapper.createObjectNode().put("dropped", faults.dropConnections());
            case "throttle" -> describe(faults.throttle(scope(body), limit(body)));
            case "serverError" -> describe(faults.serverError(scope(body), limit(body)));
            case "slowAnswers" -> describe(faults.slowAnswers(scope(body), requiredDuration(body, "delay"), limit(body)));
            case "activeStatementsExceeded" -> describe(faults.activeStatementsExceeded(scope(body), limit(body)));
            case "sessionGone" -> describe(faults.sessionGone(scope(body), limit(body)));
            case "hangStatements" -> describe(faults.hangStatements(scope(body), limit(body)));
            case "loseResponseAfterExecution" -> {
                Integer times = json.integer(body, "times");
                yield describe(faults.loseResponseAfterExecution(scope(body), times == null ? 1 : times));
            }
            default -> throw new IllegalArgumentException("Unknown fault " + name + ".");
        };
    }

    private FaultScope scope(JsonNode body) {
        String operationName = json.string(body, "operation");
        DataApiOperation operation = operationName == null ? null : DataApiOperation.fromWireName(operationName)
                .orElseThrow(() -> new IllegalArgumentException("Unknown operation " + operationName + "."));
        return new FaultScope(operation, json.string(body, "dbUser"));
    }

    private FaultLimit limit(JsonNode body) {
        String duration = json.string(body, "duration");
        return new FaultLimit(json.integer(body, "times"), duration == null ? null : Duration.parse(duration));
    }

    private Duration requiredDuration(JsonNode body, String member) {
        String value = json.string(body, member);
        if (value == null) {
            throw new IllegalArgumentException("Member " + member + " (an ISO-8601 duration such as PT0.5S) is required.");
        }
        return Duration.parse(value);
    }

    private ObjectNode list() {
        ObjectNode listed = mapper.createObjectNode();
        ArrayNode armed = listed.putArray("faults");
        faults.all().forEach(fault -> armed.add(describe(fault)));
        return listed;
    }

    private ObjectNode describe(Fault fault) {
        ObjectNode node = mapper.createObjectNode()
                .put("id", fault.id())
                .put("fault", nameOf(fault.kind()))
                .put("fired", fault.fired())
                .put("armed", fault.armed());
        if (fault.scope().operation() != null) {
            node.put("operation", fault.scope().operation().wireName());
        }
        if (fault.scope().dbUser() != null) {
            node.put("dbUser", fault.scope().dbUser());
        }
        if (fault.limit().times() != null) {
            node.put("times", fault.limit().times());
        }
        if (fault.limit().duration() != null) {
            node.put("duration", fault.limit().duration().toString());
        }
        if (fault.delay() != null) {
            node.put("delay", fault.delay().toString());
        }
        return node;
    }

    /** The name a POST body arms this kind by. */
    private static String nameOf(Fault.Kind kind) {
        return switch (kind) {
            case THROTTLE -> "throttle";
            case SERVER_ERROR -> "serverError";
            case SLOW_ANSWER -> "slowAnswers";
            case ACTIVE_STATEMENTS_EXCEEDED -> "activeStatementsExceeded";
            case SESSION_GONE -> "sessionGone";
            case HANG_STATEMENTS -> "hangStatements";
            case LOSE_RESPONSE_AFTER_EXECUTION -> "loseResponseAfterExecution";
        };
    }

    private ObjectNode message(String text) {
        return mapper.createObjectNode().put("message", text);
    }

    private void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
