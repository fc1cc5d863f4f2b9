package dev.spectra.local;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The Grafana dashboards operators load ({@code deploy/grafana/dashboards/*.json}), read as Grafana reads them: panels,
 * also those nested in collapsed rows, and their Prometheus targets. {@link Query#evaluable()} gives a target's expression
 * with the Grafana variables the dashboards may use replaced by what Prometheus can evaluate; any other variable fails.
 */
final class GrafanaDashboards {

    static final Path DIRECTORY = TestRepository.root().resolve("deploy/grafana/dashboards");

    /** The only Grafana variables a dashboard may use, and what stands in for them outside Grafana. */
    static final Map<String, String> VARIABLES = Map.of(
            "__rate_interval", "1m",
            "tenant", ".*");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GrafanaDashboards() {}

    record Dashboard(Path file, JsonNode json) {

        Dashboard {
            requireNonNull(file, "file is null");
            requireNonNull(json, "json is null");
        }

        String title() {
            return json.path("title").asString("");
        }

        String uid() {
            return json.path("uid").asString("");
        }

        /** Every panel that is not a row, rows' nested panels included, in the order Grafana lays them out. */
        List<JsonNode> panels() {
            List<JsonNode> panels = new ArrayList<>();
            for (JsonNode panel : json.path("panels")) {
                if (panel.path("type").asString("").equals("row")) {
                    panel.path("panels").forEach(panels::add);
                } else {
                    panels.add(panel);
                }
            }
            return panels;
        }

        /** Every id, of rows too: Grafana keys panel state by id. */
        List<Integer> panelIds() {
            List<Integer> ids = new ArrayList<>();
            for (JsonNode panel : json.path("panels")) {
                ids.add(panel.path("id").asInt(-1));
                panel.path("panels").forEach(nested -> ids.add(nested.path("id").asInt(-1)));
            }
            return ids;
        }

        List<Query> queries() {
            List<Query> queries = new ArrayList<>();
            for (JsonNode panel : panels()) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(title(), panel.path("title").asString(""), target.path("refId").asString(""),
                            target.path("expr").asString("")));
                }
            }
            return queries;
        }
    }

    /** One target of one panel. */
    record Query(String dashboard, String panel, String refId, String expr) {

        Query {
            requireNonNull(dashboard, "dashboard is null");
            requireNonNull(panel, "panel is null");
            requireNonNull(refId, "refId is null");
            requireNonNull(expr, "expr is null");
        }

        /** The expression with every Grafana variable replaced; an unknown one throws rather than reaching Prometheus. */
        String evaluable() {
            Matcher variable = VARIABLE.matcher(expr);
            StringBuilder evaluable = new StringBuilder();
            while (variable.find()) {
                String value = VARIABLES.get(variable.group(1));
                if (value == null) {
                    throw new IllegalArgumentException(this + " uses the Grafana variable $" + variable.group(1)
                            + ", which is none of " + VARIABLES.keySet());
                }
                variable.appendReplacement(evaluable, Matcher.quoteReplacement(value));
            }
            return variable.appendTail(evaluable).toString();
        }

        @Override
        public String toString() {
            return "\"" + dashboard + "\" / \"" + panel + "\" (" + refId + ")";
        }
    }

    static List<Dashboard> all() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted()
                    .map(GrafanaDashboards::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + DIRECTORY, e);
        }
    }

    static List<Query> allQueries() {
        return all().stream().flatMap(dashboard -> dashboard.queries().stream()).toList();
    }

    static Dashboard read(Path file) {
        try {
            return new Dashboard(file, JSON.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}
