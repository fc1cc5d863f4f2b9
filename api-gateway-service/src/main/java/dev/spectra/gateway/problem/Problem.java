package dev.spectra.gateway.problem;

import dev.spectra.common.error.ErrorCode;
import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * An RFC 9457 problem as the gateway answers it: the standard members plus a stable {@code code}
 * (an {@link ErrorCode} name) that clients branch on, and optional extension members.
 *
 * <p>No {@code instance} member: it would carry the request path, and an unknown job id must get a
 * body byte-identical to another tenant's job id.
 *
 * @param extensions extra members, written after the standard ones in insertion order
 * @param headers    response headers that belong to this answer (Retry-After, WWW-Authenticate)
 */
public record Problem(
        HttpStatus status,
        ErrorCode code,
        String detail,
        Map<String, Object> extensions,
        Map<String, String> headers) {

    static final String TYPE_PREFIX = "urn:spectra:problem:";

    public Problem {
        requireNonNull(status, "status is null");
        requireNonNull(code, "code is null");
        requireNonNull(detail, "detail is null");
        extensions = Map.copyOf(new LinkedHashMap<>(extensions));
        headers = Map.copyOf(headers);
    }

    public Problem(HttpStatus status, ErrorCode code, String detail) {
        this(status, code, detail, Map.of(), Map.of());
    }

    public Problem withExtension(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
        return new Problem(status, code, detail, more, headers);
    }

    public Problem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
        return new Problem(status, code, detail, extensions, more);
    }

    /** A URN per code: stable, and it does not pretend to be a page that can be fetched. */
    public String type() {
        return TYPE_PREFIX + code.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String title() {
        return switch (code) {
            case UNAUTHENTICATED -> "Authentication required";
            case TENANT_MISMATCH -> "Tenant mismatch";
            case TENANT_NOT_ACTIVE -> "Tenant not active";
            case REQUEST_INVALID -> "Invalid request";
            case SQL_INVALID -> "Invalid SQL";
            case SQL_NOT_READ_ONLY -> "SQL is not a read-only query";
            case SQL_MULTIPLE_STATEMENTS -> "More than one SQL statement";
            case SQL_FORBIDDEN_OBJECT -> "Forbidden SQL object";
            case SQL_FORBIDDEN_FUNCTION -> "Forbidden SQL function";
            case JOB_NOT_FOUND -> "Job not found";
            case RESULT_NOT_READY -> "Result not ready";
            case RESULT_EXPIRED -> "Result expired";
            case RATE_LIMITED -> "Rate limit exceeded";
            case STORAGE_UNAVAILABLE -> "Storage unavailable";
            case INTERNAL_ERROR -> "Internal error";
            default -> code.name();
        };
    }

    /**
     * The JSON members in a fixed order: type, title, status, detail, code, then the extensions.
     * A map rather than annotations so that the order, and so the bytes, never depend on mapper settings.
     */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type());
        body.put("title", title());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("code", code.name());
        extensions.forEach(body::putIfAbsent);
        return body;
    }
}
