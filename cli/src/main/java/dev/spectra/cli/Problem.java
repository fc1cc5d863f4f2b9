package dev.spectra.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static java.util.Objects.requireNonNull;

/**
 * An error answer of the gateway: its HTTP status and, from the {@code application/problem+json} body, the stable
 * {@code code} and the {@code detail}. A body that is not a problem (a proxy's page) still gives a code and a detail.
 */
record Problem(int status, String code, String detail) {

    private static final int DETAIL_ECHO_LIMIT = 300;

    Problem {
        requireNonNull(code, "code is null");
        requireNonNull(detail, "detail is null");
    }

    static Problem from(int status, String body, JsonMapper json) {
        try {
            JsonNode problem = json.readTree(body);
            if (problem != null && problem.path("code").isString()) {
                return new Problem(status, problem.get("code").stringValue(), problem.path("detail").asString(""));
            }
        } catch (JacksonException e) {
            // not JSON: described below
        }
        String text = body == null ? "" : body.strip();
        return new Problem(status, "HTTP_" + status, text.length() > DETAIL_ECHO_LIMIT ? text.substring(0, DETAIL_ECHO_LIMIT) + "..." : text);
    }

    boolean isServerError() {
        return status >= 500;
    }

    @Override
    public String toString() {
        return detail.isEmpty() ? code : code + ": " + detail;
    }
}
