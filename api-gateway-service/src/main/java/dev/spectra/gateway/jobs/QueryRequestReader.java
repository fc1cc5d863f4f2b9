package dev.spectra.gateway.jobs;

import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.statement.ParameterType;
import dev.spectra.common.statement.QueryParameter;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Reads a query request strictly, whatever the application's Jackson settings: a JSON object with a
 * non-blank string {@code sql}, the optional delivery members and no other member, within the size limits.
 * Anything else is a 400 REQUEST_INVALID that says what was wrong, never a 500.
 *
 * <ul>
 *   <li>{@code disposition}, {@code format}, {@code compression}: one of the enum's names, exactly as written
 *       (upper-case; {@code "csv"} is refused, with a hint).</li>
 *   <li>{@code row_limit}, {@code byte_limit}: a JSON integer from 1 to 2^63-1; a string, a fraction or exponent
 *       ({@code 10.0}, {@code 1e3}), a boolean, 0, a negative or a larger number is refused.</li>
 *   <li>{@code null} for any optional member means the member is absent: its default applies.</li>
 *   <li>Combinations that cannot be delivered are refused with {@link DeliveryOptions#problemWith}'s words.</li>
 *   <li>{@code name}: 1 to 128 characters; {@code tags}: an object of at most 10 string members, keys of letters,
 *       digits and {@code _.:/=+@-} up to 64, values up to 256 characters.</li>
 *   <li>{@code timeout_seconds}: a positive JSON integer; the tenant's maximum is checked on submission.</li>
 *   <li>{@code parameters}: an array of {@code {"name", "value", "type"}}, names distinct, {@code type} one of
 *       {@link ParameterType} (default STRING), {@code value} a string, number or boolean the type accepts, or
 *       {@code null} for SQL NULL. Whether the SQL's markers and the names agree is the guard's to say.</li>
 * </ul>
 */
public final class QueryRequestReader {

    private static final String SQL = "sql";
    private static final String DISPOSITION = "disposition";
    private static final String FORMAT = "format";
    private static final String COMPRESSION = "compression";
    private static final String ROW_LIMIT = "row_limit";
    private static final String BYTE_LIMIT = "byte_limit";
    private static final String NAME = "name";
    private static final String TAGS = "tags";
    private static final String TIMEOUT_SECONDS = "timeout_seconds";
    private static final String PARAMETERS = "parameters";
    private static final String WAIT_SECONDS = "wait_seconds";
    private static final String ON_WAIT_TIMEOUT = "on_wait_timeout";
    private static final List<String> FIELDS = List.of(SQL, DISPOSITION, FORMAT, COMPRESSION, ROW_LIMIT, BYTE_LIMIT,
            NAME, TAGS, TIMEOUT_SECONDS, PARAMETERS, WAIT_SECONDS, ON_WAIT_TIMEOUT);
    private static final List<String> PARAMETER_FIELDS = List.of("name", "value", "type");
    private static final String FIELD_LIST = FIELDS.stream().map(field -> "'" + field + "'").collect(Collectors.joining(", "));
    private static final int ECHO_LIMIT = 200;
    /** An unknown field's name is echoed shorter: the detail also lists the allowed fields. */
    private static final int FIELD_NAME_ECHO_LIMIT = 64;

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
            if (!FIELDS.contains(member.getKey())) {
                throw invalid("Unknown field '" + abbreviate(member.getKey(), FIELD_NAME_ECHO_LIMIT) + "'; the fields are " + FIELD_LIST + ".");
            }
        }
        JsonNode sql = root.get(SQL);
        if (sql == null || !sql.isString() || sql.stringValue().isBlank()) {
            throw invalid("Field 'sql' is required and must be a non-blank string.");
        }
        if (sql.stringValue().length() > maxSqlLength) {
            throw invalid("Field 'sql' is longer than " + maxSqlLength + " characters.");
        }
        DeliveryOptions delivery = delivery(root);
        JobOptions options = options(root);
        if (delivery.format() == ResultFormat.PARQUET && !options.boundParameters().isEmpty()) {
            throw invalidParameter("Format PARQUET is written by the warehouse's UNLOAD, which cannot bind parameters; "
                    + "use CSV or JSON_LINES for a parameterised query.");
        }
        return new QueryRequest(sql.stringValue(), delivery, options, wait(root));
    }

    private static QueryRequest.Wait wait(JsonNode root) {
        JsonNode seconds = root.get(WAIT_SECONDS);
        long wait = 0;
        if (seconds != null && !seconds.isNull()) {
            if (!seconds.isIntegralNumber() || !seconds.canConvertToLong() || seconds.longValue() < 0
                    || seconds.longValue() > QueryRequest.MAX_WAIT_SECONDS) {
                throw invalid("Field 'wait_seconds' must be a JSON integer from 0 to " + QueryRequest.MAX_WAIT_SECONDS + ".");
            }
            wait = seconds.longValue();
        }
        JsonNode onTimeout = root.get(ON_WAIT_TIMEOUT);
        boolean cancel = false;
        if (onTimeout != null && !onTimeout.isNull()) {
            if (!onTimeout.isString() || !List.of("CONTINUE", "CANCEL").contains(onTimeout.stringValue())) {
                throw invalid("Field 'on_wait_timeout' must be CONTINUE or CANCEL.");
            }
            cancel = onTimeout.stringValue().equals("CANCEL");
        }
        if (cancel && wait == 0) {
            throw invalid("Field 'on_wait_timeout' CANCEL needs a 'wait_seconds' of at least 1.");
        }
        return new QueryRequest.Wait(Duration.ofSeconds(wait), cancel);
    }

    private static JobOptions options(JsonNode root) {
        String name = null;
        JsonNode nameNode = root.get(NAME);
        if (nameNode != null && !nameNode.isNull()) {
            if (!nameNode.isString() || nameNode.stringValue().isBlank() || nameNode.stringValue().length() > JobOptions.MAX_NAME_LENGTH) {
                throw invalid("Field 'name' must be a non-blank string of at most " + JobOptions.MAX_NAME_LENGTH + " characters.");
            }
            name = nameNode.stringValue();
        }
        Long timeout = positiveLongMember(root, TIMEOUT_SECONDS);
        return new JobOptions(name, tags(root.get(TAGS)), timeout == null ? null : Duration.ofSeconds(timeout),
                parameters(root.get(PARAMETERS)));
    }

    private static Map<String, String> tags(JsonNode tags) {
        if (tags == null || tags.isNull()) {
            return Map.of();
        }
        if (!tags.isObject() || tags.size() > JobOptions.MAX_TAGS) {
            throw invalid("Field 'tags' must be an object of at most " + JobOptions.MAX_TAGS + " string members.");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> tag : tags.properties()) {
            if (!JobOptions.TAG_KEY.matcher(tag.getKey()).matches()) {
                throw invalid("Tag '" + abbreviate(tag.getKey(), FIELD_NAME_ECHO_LIMIT) + "' is not a valid key: 1 to 64 letters, "
                        + "digits or _.:/=+@-.");
            }
            if (!tag.getValue().isString() || tag.getValue().stringValue().length() > JobOptions.MAX_TAG_VALUE_LENGTH) {
                throw invalid("Tag '" + tag.getKey() + "' must have a string value of at most " + JobOptions.MAX_TAG_VALUE_LENGTH
                        + " characters.");
            }
            result.put(tag.getKey(), tag.getValue().stringValue());
        }
        return result;
    }

    private static List<QueryParameter> parameters(JsonNode list) {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray() || list.size() > QueryParameter.MAX_PARAMETERS) {
            throw invalidParameter("Field 'parameters' must be an array of at most " + QueryParameter.MAX_PARAMETERS
                    + " objects {\"name\": ..., \"value\": ..., \"type\": ...}.");
        }
        List<QueryParameter> parameters = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode member : list) {
            if (!member.isObject()) {
                throw invalidParameter("Each parameter must be an object {\"name\": ..., \"value\": ..., \"type\": ...}.");
            }
            for (Map.Entry<String, JsonNode> field : member.properties()) {
                if (!PARAMETER_FIELDS.contains(field.getKey())) {
                    throw invalidParameter("Unknown parameter field '" + abbreviate(field.getKey(), FIELD_NAME_ECHO_LIMIT)
                            + "'; a parameter has 'name', 'value' and 'type'.");
                }
            }
            JsonNode nameNode = member.get("name");
            if (nameNode == null || !nameNode.isString() || !QueryParameter.NAME.matcher(nameNode.stringValue()).matches()) {
                throw invalidParameter("Each parameter needs a 'name' of letters, digits and _, starting with a letter or _, at most 128.");
            }
            String name = nameNode.stringValue();
            if (!names.add(name)) {
                throw invalidParameter("Parameter '" + name + "' is given more than once.");
            }
            ParameterType type = parameterType(name, member.get("type"));
            if (!member.has("value")) {
                throw invalidParameter("Parameter '" + name + "' has no 'value'; send \"value\": null for SQL NULL.");
            }
            parameters.add(new QueryParameter(name, type, parameterValue(name, type, member.get("value"))));
        }
        return parameters;
    }

    private static ParameterType parameterType(String name, JsonNode type) {
        if (type == null || type.isNull()) {
            return ParameterType.STRING;
        }
        for (ParameterType candidate : ParameterType.values()) {
            if (type.isString() && candidate.name().equals(type.stringValue())) {
                return candidate;
            }
        }
        throw invalidParameter("Parameter '" + name + "' has type " + abbreviate(type.toString(), FIELD_NAME_ECHO_LIMIT) + "; the types are "
                + Arrays.stream(ParameterType.values()).map(Enum::name).collect(Collectors.joining(", ")) + ".");
    }

    /** The value as it travels; a JSON number or boolean is taken by its text, so 42 and "42" are the same INT. */
    private static String parameterValue(String name, ParameterType type, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        String text;
        if (value.isString()) {
            text = value.stringValue();
        } else if (value.isNumber() || value.isBoolean()) {
            text = value.asString();
        } else {
            throw invalidParameter("Parameter '" + name + "' must have a string, number, boolean or null value.");
        }
        if (text.length() > QueryParameter.MAX_VALUE_LENGTH) {
            throw invalidParameter("Parameter '" + name + "' is longer than " + QueryParameter.MAX_VALUE_LENGTH + " characters.");
        }
        if (type == ParameterType.STRING) {
            return text;
        }
        try {
            return type.normalise(text);
        } catch (IllegalArgumentException e) {
            throw invalidParameter("Parameter '" + name + "' is " + type + " and must be " + e.getMessage() + ".");
        }
    }

    private static DeliveryOptions delivery(JsonNode root) {
        Disposition disposition = enumMember(root, DISPOSITION, Disposition.class, DeliveryOptions.DEFAULT.disposition());
        ResultFormat format = enumMember(root, FORMAT, ResultFormat.class, DeliveryOptions.DEFAULT.format());
        Compression compression = enumMember(root, COMPRESSION, Compression.class, DeliveryOptions.DEFAULT.compression());
        Long rowLimit = positiveLongMember(root, ROW_LIMIT);
        Long byteLimit = positiveLongMember(root, BYTE_LIMIT);
        String problem = DeliveryOptions.problemWith(disposition, format, compression, rowLimit, byteLimit);
        if (problem != null) {
            throw invalid(problem);
        }
        return new DeliveryOptions(disposition, format, compression, rowLimit, byteLimit);
    }

    private static <E extends Enum<E>> E enumMember(JsonNode root, String field, Class<E> type, E absent) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        for (E constant : type.getEnumConstants()) {
            if (value.isString() && constant.name().equals(value.stringValue())) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        boolean wrongCase = value.isString() && Arrays.stream(type.getEnumConstants())
                .anyMatch(constant -> constant.name().equalsIgnoreCase(value.stringValue()));
        String hint = wrongCase ? " Values are case-sensitive: write " + value.stringValue().toUpperCase(Locale.ROOT) + "."
                : " Values are case-sensitive, in upper case.";
        throw invalid("Field '" + field + "' must be one of " + allowed + "." + hint);
    }

    private static Long positiveLongMember(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        // isIntegralNumber: 10.0 and 1e3 are floating-point tokens, refused; canConvertToLong: at most 2^63-1
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
            throw invalid("Field '" + field + "' must be a positive JSON integer, at most " + Long.MAX_VALUE + ".");
        }
        return value.longValue();
    }

    /** Parts of the body echoed in a detail stay short. */
    private static String abbreviate(String text) {
        return abbreviate(text, ECHO_LIMIT);
    }

    private static String abbreviate(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "...";
    }

    private ProblemException tooLarge() {
        return invalid("The request body is larger than " + maxBodyBytes + " bytes.");
    }

    private static ProblemException invalidParameter(String detail) {
        return new ProblemException(Problems.parameterInvalid(detail));
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
