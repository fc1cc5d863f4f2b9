package dev.spectra.local;

import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One statement of the hostile corpus ({@code hostile-sql/corpus.jsonl}: one JSON object a line, so that
 * multi-line text and control characters such as {@code \r} stay exact).
 *
 * <p>A statement may name another tenant through a placeholder: {@code ${other_user}} (a database user)
 * or {@code ${other_tenant}} (a tenant id). Such a statement is an oracle probe: it runs once with the
 * real name and once with a name that does not exist, and the two answers must not differ.
 *
 * <p>{@code changes_session} marks a statement that, if the warehouse lets it run, changes the settings
 * of the pooled session it ran on (e.g. {@code set_config('search_path', …)}): it is run after the
 * others, so that one such success does not hide what the rest would reveal.
 */
record HostileStatement(String id, String group, String sql, boolean changesSession) {

    static final String CORPUS = "/hostile-sql/corpus.jsonl";
    static final String OTHER_USER = "${other_user}";
    static final String OTHER_TENANT = "${other_tenant}";

    HostileStatement {
        requireNonNull(id, "id is null");
        requireNonNull(group, "group is null");
        requireNonNull(sql, "sql is null");
    }

    boolean isOracleProbe() {
        return sql.contains(OTHER_USER) || sql.contains(OTHER_TENANT);
    }

    /** The text with every placeholder replaced by the given names. */
    String with(Map<String, String> namesByPlaceholder) {
        String text = sql;
        for (Map.Entry<String, String> name : namesByPlaceholder.entrySet()) {
            text = text.replace(name.getKey(), name.getValue());
        }
        return text;
    }

    static List<HostileStatement> corpus() {
        List<HostileStatement> statements = new ArrayList<>();
        try (InputStream resource = requireNonNull(HostileStatement.class.getResourceAsStream(CORPUS), CORPUS);
             BufferedReader lines = new BufferedReader(new InputStreamReader(resource, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry = GatewayClient.JSON.readTree(line);
                JsonNode changesSession = entry.get("changes_session");
                statements.add(new HostileStatement(entry.get("id").asString(), entry.get("group").asString(), entry.get("sql").asString(),
                        changesSession != null && changesSession.asBoolean()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(statements);
    }
}
