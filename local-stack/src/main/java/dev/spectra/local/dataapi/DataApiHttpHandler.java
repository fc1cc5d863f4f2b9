package dev.spectra.local.dataapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The awsJson1_1 wire protocol: {@code POST /} with {@code X-Amz-Target: RedshiftData.<Operation>},
 * answered with 200 and the output shape, or with the error's status, an {@code x-amzn-ErrorType} header
 * and a {@code {"__type":..., "message":...}} body. Only a fault of the emulator itself, or one a test
 * armed in {@link DataApiFaults}, becomes a 500. The caller is the access key id the request was signed
 * with (signatures are not checked); client tokens are kept per caller.
 */
final class DataApiHttpHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(DataApiHttpHandler.class);
    private static final String TARGET_PREFIX = "RedshiftData.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** Far above the real service's SQL size limit; a bound so a stray client cannot exhaust memory. */
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final Pattern SIGNING_ACCESS_KEY = Pattern.compile("Credential=([^/\\s,]+)/");
    private static final String UNSIGNED_CALLER = "anonymous";

    private final DataApiService service;
    private final DataApiJson json;
    private final DataApiFaults faults;

    DataApiHttpHandler(DataApiService service, DataApiJson json, DataApiFaults faults) {
        this.service = requireNonNull(service, "service is null");
        this.json = requireNonNull(json, "json is null");
        this.faults = requireNonNull(faults, "faults is null");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try {
            ObjectNode output;
            try {
                output = dispatch(exchange);
            } catch (DataApiException e) {
                sendError(exchange, requestId, e);
                return;
            } catch (RuntimeException e) {
                log.error("Data API request {} failed inside the emulator", requestId, e);
                sendError(exchange, requestId, DataApiException.internal("The Data API emulator failed: " + e));
                return;
            }
            send(exchange, requestId, 200, json.write(output));
        } finally {
            exchange.close();
        }
    }

    private ObjectNode dispatch(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw DataApiException.unknownOperation("The Data API accepts only POST requests.");
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw DataApiException.unknownOperation("Missing or unknown X-Amz-Target: " + target);
        }
        String operationName = target.substring(TARGET_PREFIX.length());
        JsonNode input = json.parse(readBody(exchange.getRequestBody()));
        Optional<DataApiOperation> operation = DataApiOperation.fromWireName(operationName);
        if (operation.isPresent()) {
            return handle(operation.get(), input, callerOf(exchange));
        }
        switch (operationName) {
            case "BatchExecuteStatement", "DescribeTable", "ListDatabases", "ListSchemas",
                 "ListTables", "ListSessions" -> throw DataApiException.validation(
                    operationName + " is not supported by the Spectra Data API emulator.");
            default -> throw DataApiException.unknownOperation("Unknown operation " + operationName + ".");
        }
    }

    private ObjectNode handle(DataApiOperation operation, JsonNode input, String caller) {
        return switch (operation) {
            case EXECUTE_STATEMENT -> {
                ExecuteStatementRequest request = json.executeStatementRequest(input);
                faults.beforeRequest(operation, () -> service.dbUserOf(request));
                StatementSnapshot started = service.execute(request, caller);
                if (faults.losesResponse(started.target().dbUser())) {
                    throw DataApiException.internal("Internal server error (the emulator's faults lost this "
                            + "response after the statement started).");
                }
                yield json.executeStatementResponse(started);
            }
            case DESCRIBE_STATEMENT -> {
                String id = json.string(input, "Id");
                faults.beforeRequest(operation, () -> service.dbUserOfStatement(id));
                yield json.describeStatementResponse(service.describe(id, json.integer(input, "WaitTimeSeconds")));
            }
            case GET_STATEMENT_RESULT -> {
                String id = json.string(input, "Id");
                faults.beforeRequest(operation, () -> service.dbUserOfStatement(id));
                yield json.resultResponse(service.result(id, json.string(input, "NextToken"),
                        json.integer(input, "WaitTimeSeconds"), ResultFormat.JSON));
            }
            case GET_STATEMENT_RESULT_V2 -> {
                String id = json.string(input, "Id");
                faults.beforeRequest(operation, () -> service.dbUserOfStatement(id));
                yield json.resultV2Response(service.result(id, json.string(input, "NextToken"),
                        json.integer(input, "WaitTimeSeconds"), ResultFormat.CSV));
            }
            case CANCEL_STATEMENT -> {
                String id = json.string(input, "Id");
                faults.beforeRequest(operation, () -> service.dbUserOfStatement(id));
                yield json.cancelResponse(service.cancel(id));
            }
            case LIST_STATEMENTS -> {
                faults.beforeRequest(operation, () -> null);
                yield json.listResponse(service.list(json.listStatementsRequest(input)));
            }
        };
    }

    private static String callerOf(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return UNSIGNED_CALLER;
        }
        Matcher accessKey = SIGNING_ACCESS_KEY.matcher(authorization);
        return accessKey.find() ? accessKey.group(1) : UNSIGNED_CALLER;
    }

    private static byte[] readBody(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw DataApiException.validation("The request body is larger than " + MAX_BODY_BYTES + " bytes.");
        }
        return bytes;
    }

    private void sendError(HttpExchange exchange, String requestId, DataApiException error) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", error.type().wireName());
        send(exchange, requestId, error.type().httpStatus(), json.write(json.error(error)));
    }

    private static void send(HttpExchange exchange, String requestId, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
