package dev.spectra.local;

import tools.jackson.databind.JsonNode;

import java.util.Set;

/**
 * Everything a tenant got back for one statement: the submission's answer, the job's last status
 * document and, when it succeeded, its results. {@code transportError} is set when the gateway did not
 * answer at all; {@code endedOnItsOwn} is false when the job was still running at the deadline (the
 * test then cancelled the statement in the warehouse).
 */
record QueryOutcome(String sql, int submitStatus, String submitContentType, String submitBody,
                    String statusBody, String resultsBody, String transportError, boolean endedOnItsOwn) {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
    /** What the corpus's smuggled second commands ({@code RAISE EXCEPTION 'ran as %'}) say when they run. */
    static final String SECOND_COMMAND_MARKER = "ran as";

    static QueryOutcome unreachable(String sql, String error) {
        return new QueryOutcome(sql, -1, "", "", null, null, error, true);
    }

    boolean refused() {
        return submitStatus >= 400 && submitStatus < 500;
    }

    boolean accepted() {
        return submitStatus == 202;
    }

    String problemCode() {
        return field(submitBody, "code");
    }

    String jobStatus() {
        return field(statusBody, "status");
    }

    boolean terminal() {
        return TERMINAL.contains(jobStatus());
    }

    String errorCode() {
        JsonNode error = json(statusBody) == null ? null : json(statusBody).get("error");
        return error == null || error.get("code") == null ? null : error.get("code").asString();
    }

    String errorMessage() {
        JsonNode error = json(statusBody) == null ? null : json(statusBody).get("error");
        return error == null || error.get("message") == null ? null : error.get("message").asString();
    }

    /** The status document's {@code row_count}, or -1. */
    long statusRowCount() {
        JsonNode status = json(statusBody);
        return status == null || status.get("row_count") == null ? -1 : status.get("row_count").asLong();
    }

    /** The results' row count, or -1 when there are none. */
    long resultRows() {
        JsonNode results = json(resultsBody);
        return results == null || results.get("rows") == null ? -1 : results.get("rows").size();
    }

    String resultRowsText() {
        JsonNode results = json(resultsBody);
        return results == null ? "" : String.valueOf(results.get("rows"));
    }

    /** What a tenant can tell apart between two runs: codes, states, messages and rows, never ids or times. */
    String observable() {
        return "http=" + submitStatus + " problem=" + problemCode() + " detail=" + field(submitBody, "detail")
                + " job=" + jobStatus() + " error=" + errorCode() + " message=" + errorMessage()
                + " columns=" + columnsText() + " rows=" + resultRowsText() + " transport=" + transportError;
    }

    /** Whether the warehouse's answer carries the smuggled command's own output: the marker and the user it ran as. */
    boolean revealsASecondCommand(String databaseUser) {
        return (statusBody + resultsBody).contains(SECOND_COMMAND_MARKER + " " + databaseUser);
    }

    @Override
    public String toString() {
        return QueryOutcome.clip(sql, 120) + " -> " + summary();
    }

    /** A short description for failure reports. */
    String summary() {
        String answer = transportError != null ? "no answer: " + transportError
                : accepted() ? "job " + jobStatus() + (errorMessage() == null ? "" : " (" + errorCode() + ": " + clip(errorMessage(), 160) + ")")
                : "HTTP " + submitStatus + " " + problemCode();
        return answer + (resultsBody == null ? "" : ", rows=" + clip(resultRowsText(), 200));
    }

    private String columnsText() {
        JsonNode results = json(resultsBody);
        return results == null ? "" : String.valueOf(results.get("columns"));
    }

    static String clip(String text, int length) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ");
        return flat.length() <= length ? flat : flat.substring(0, length) + "…";
    }

    private static String field(String body, String name) {
        JsonNode node = json(body);
        return node == null || node.get(name) == null || node.get(name).isNull() ? null : node.get(name).asString();
    }

    private static JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = GatewayClient.JSON.readTree(body);
            return node.isObject() ? node : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
