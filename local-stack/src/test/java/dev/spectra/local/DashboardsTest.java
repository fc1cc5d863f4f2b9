package dev.spectra.local;

import dev.spectra.local.GrafanaDashboards.Dashboard;
import dev.spectra.local.GrafanaDashboards.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Grafana dashboards in {@code deploy/grafana/dashboards/} are well-formed without a stack: each is a dashboard with
 * its own uid and title, every panel queries the {@code prometheus} datasource, and every expression is PromQL that
 * {@code promtool} accepts. {@link DashboardsIT} proves each query returns data from a running stack.
 */
class DashboardsTest {

    private static final List<Dashboard> DASHBOARDS = GrafanaDashboards.all();

    @Test
    void everyFileIsADashboardWithItsOwnUidAndTitle() {
        assertThat(DASHBOARDS).hasSizeGreaterThanOrEqualTo(3);
        for (Dashboard dashboard : DASHBOARDS) {
            assertThat(dashboard.uid()).as("uid of %s", dashboard.file()).matches("[a-z0-9-]{1,40}");
            assertThat(dashboard.title()).as("title of %s", dashboard.file()).isNotBlank();
            assertThat(dashboard.json().path("schemaVersion").asInt()).as("schemaVersion of %s", dashboard.file()).isGreaterThanOrEqualTo(39);
            assertThat(dashboard.json().path("panels").isArray()).as("panels of %s", dashboard.file()).isTrue();
        }
        assertThat(DASHBOARDS).extracting(Dashboard::uid).doesNotHaveDuplicates();
        assertThat(DASHBOARDS).extracting(Dashboard::title).doesNotHaveDuplicates();
    }

    @Test
    void theOverviewTenantsAndWorkersDashboardsAreThere() {
        assertThat(DASHBOARDS).extracting(Dashboard::title).contains("Spectra overview", "Tenants", "Workers and warehouse");
    }

    @Test
    void everyPanelHasATitleAUnitAndAtLeastOneTargetWithAnExpression() {
        List<String> wrong = new ArrayList<>();
        for (Dashboard dashboard : DASHBOARDS) {
            for (JsonNode panel : dashboard.panels()) {
                String name = dashboard.title() + " / " + panel.path("title").asString("(untitled)");
                if (panel.path("title").asString("").isBlank()) {
                    wrong.add(name + ": no title");
                }
                if (panel.path("fieldConfig").path("defaults").path("unit").asString("").isBlank()) {
                    wrong.add(name + ": no unit");
                }
                if (panel.path("targets").isEmpty()) {
                    wrong.add(name + ": no target");
                }
                panel.path("targets").forEach(target -> {
                    if (target.path("expr").asString("").isBlank()) {
                        wrong.add(name + " (" + target.path("refId").asString("?") + "): no expression");
                    }
                });
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyPanelAndTargetQueriesThePrometheusDatasource() {
        List<String> elsewhere = new ArrayList<>();
        for (Dashboard dashboard : DASHBOARDS) {
            for (JsonNode panel : dashboard.panels()) {
                String name = dashboard.title() + " / " + panel.path("title").asString("");
                if (!isPrometheus(panel.path("datasource"))) {
                    elsewhere.add(name + ": " + panel.path("datasource"));
                }
                panel.path("targets").forEach(target -> {
                    if (!isPrometheus(target.path("datasource"))) {
                        elsewhere.add(name + " (" + target.path("refId").asString("?") + "): " + target.path("datasource"));
                    }
                });
            }
        }
        assertThat(elsewhere).as("panels and targets not on datasource uid prometheus").isEmpty();
    }

    @Test
    void panelIdsAreUniqueWithinEachDashboard() {
        for (Dashboard dashboard : DASHBOARDS) {
            assertThat(dashboard.panelIds()).as("panel ids of %s", dashboard.title()).doesNotContain(-1).doesNotHaveDuplicates();
        }
    }

    @Test
    void theTenantsDashboardSelectsTenantsWithAMultiValueVariableAndEveryPanelFiltersByIt() {
        Dashboard tenants = DASHBOARDS.stream().filter(dashboard -> dashboard.title().equals("Tenants")).findFirst().orElseThrow();
        JsonNode variable = tenants.json().path("templating").path("list").get(0);

        assertThat(variable.path("name").asString("")).isEqualTo("tenant");
        assertThat(variable.path("definition").asString("")).isEqualTo("label_values(spectra_gateway_submissions_total, tenant)");
        assertThat(variable.path("multi").asBoolean()).isTrue();
        assertThat(variable.path("includeAll").asBoolean()).isTrue();
        assertThat(tenants.queries()).allSatisfy(query -> assertThat(query.expr()).as(query.toString()).contains("tenant=~\"$tenant\""));
    }

    @Test
    void dashboardsDeclareOnlyTheVariablesTheTestsKnow() {
        for (Dashboard dashboard : DASHBOARDS) {
            dashboard.json().path("templating").path("list").forEach(variable -> assertThat(GrafanaDashboards.VARIABLES)
                    .as("variables of %s", dashboard.title()).containsKey(variable.path("name").asString("")));
        }
    }

    @Test
    void everyExpressionUsesOnlyKnownVariables() {
        List<String> unknown = new ArrayList<>();
        for (Query query : GrafanaDashboards.allQueries()) {
            try {
                assertThat(query.evaluable()).doesNotContain("$");
            } catch (IllegalArgumentException e) {
                unknown.add(e.getMessage());
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void anUnknownVariableFailsInsteadOfReachingPrometheus() {
        Query query = new Query("d", "p", "A", "sum(rate(spectra_jobs_ended_total{application=~\"$application\"}[$__rate_interval]))");

        assertThatThrownBy(query::evaluable).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$application");
        assertThat(new Query("d", "p", "A", "rate(x{tenant=~\"${tenant}\"}[$__rate_interval])").evaluable())
                .isEqualTo("rate(x{tenant=~\".*\"}[1m])");
    }

    @Test
    void everyExpressionIsPromQlThatPromtoolAccepts(@TempDir Path directory) throws Exception {
        Promtool.assumeInstalled();
        List<Query> queries = GrafanaDashboards.allQueries();
        Map<String, Query> byRecord = new LinkedHashMap<>();
        for (int i = 0; i < queries.size(); i++) {
            byRecord.put("dashboard:query_" + i, queries.get(i));
        }
        List<Map<String, String>> rules = byRecord.entrySet().stream()
                .map(entry -> Map.of("record", entry.getKey(), "expr", entry.getValue().evaluable())).toList();
        // JSON is YAML: promtool reads it as a rule file.
        Path file = directory.resolve("dashboards.rules.yml");
        Files.writeString(file, JsonMapper.builder().build().writeValueAsString(Map.of("groups", List.of(Map.of("name", "dashboards", "rules", rules)))));

        Promtool.Result check = Promtool.run(directory, "check", "rules", file.toString());

        String legend = byRecord.entrySet().stream().map(entry -> entry.getKey() + " = " + entry.getValue())
                .collect(Collectors.joining(System.lineSeparator()));
        assertThat(check.exitCode()).as(check.output() + System.lineSeparator() + legend).isZero();
        assertThat(check.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    private static boolean isPrometheus(JsonNode datasource) {
        return datasource.path("type").asString("").equals("prometheus") && datasource.path("uid").asString("").equals("prometheus");
    }
}
