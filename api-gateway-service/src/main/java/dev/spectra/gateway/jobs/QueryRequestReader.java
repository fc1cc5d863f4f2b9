package dev.spectra.gateway.jobs;

import dev.spectra.gateway.config.GatewayProperties;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Reads a query request strictly, whatever the application's Jackson settings: a JSON object with a
 * non-blank string {@code sql} and no other member, within the size limits. Anything else is a 400
 * REQUEST_INVALID that says what was wrong, never a 500.
 */
public final class QueryRequestReader {

    private static final String SQL = "sql";
    private static final int ECHO_LIMIT = 200;

    private final ObjectReader reader;
    private final int maxBodyBytes;
    private final int maxSqlLength;

    public QueryRequestReader(JsonMapper jsonMapper, GatewayProperties gateway) {
        // a duplicated "sql" is ambiguous: refuse it rather than pick one
        this.reader = requireNonNull(jsonMapper, "jsonMapper is null").reader()
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.maxBodyBytes = Math.toIntExact(gateway.maxRequestSize().toBytes());
        this.maxSqlLength = gateway.maxSqlLength();
    }

    public Mono<QueryRequest> read(ServerHttpRequest request) {
        if (request.getHeaders().getContentLength() > maxBodyBytes) {
            return Mono.error(tooLarge());
        }
        return DataBufferUtils.join(request.getBody(), maxBodyBytes)
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
                .map(QueryRequestReader::bytes)
                .switchIfEmpty(Mono.error(() -> invalid("The request body is empty; send {\"sql\": \"...\"}.")))
                .map(this::parse);
    }

    private QueryRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (JacksonException e) {
            String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw invalid("The request body is not valid JSON: " + abbreviate(reason));
        }
        if (root == null || !root.isObject()) {
            throw invalid("The request body must be a JSON object: {\"sql\": \"...\"}.");
        }
        for (Map.Entry<String, JsonNode> member : root.properties()) {
            if (!SQL.equals(member.getKey())) {
                throw invalid("Unknown field '" + abbreviate(member.getKey()) + "'; the only field is 'sql'.");
            }
        }
        JsonNode sql = root.get(SQL);
        if (sql == null || !sql.isString() || sql.stringValue().isBlank()) {
            throw invalid("Field 'sql' is required and must be a non-blank string.");
        }
        if (sql.stringValue().length() > maxSqlLength) {
            throw invalid("Field 'sql' is longer than " + maxSqlLength + " characters.");
        }
        return new QueryRequest(sql.stringValue());
    }

    /** Parts of the body echoed in a detail stay short. */
    private static String abbreviate(String text) {
        return text.length() <= ECHO_LIMIT ? text : text.substring(0, ECHO_LIMIT) + "...";
    }

    private ProblemException tooLarge() {
        return invalid("The request body is larger than " + maxBodyBytes + " bytes.");
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problems.requestInvalid(detail));
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
