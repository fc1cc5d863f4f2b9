package dev.spectra.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules operators load ({@code deploy/prometheus/alerts.yml}) are valid Prometheus rules, and their unit
 * tests ({@code alerts-test.yml}: each alert fires on the series it is for and stays quiet on the ones it is not) pass
 * under Prometheus's own {@code promtool}. {@code ./spectra test} installs Debian's {@code prometheus} package when
 * {@code promtool} is missing; without it these tests skip, saying so.
 */
class AlertRulesTest {

    private static final Path RULES = TestRepository.root().resolve("deploy/prometheus");

    @BeforeAll
    static void promtoolIsThere() {
        Promtool.assumeInstalled();
    }

    @Test
    void theAlertRulesAreValidPrometheusRules() throws Exception {
        Promtool.Result check = Promtool.run(RULES, "check", "rules", "alerts.yml");

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertRuleTestPassesUnderPromtool() throws Exception {
        Promtool.Result test = Promtool.run(RULES, "test", "rules", "alerts-test.yml");

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyObjectiveAlertHasAtLeastOneUnitTest() throws IOException {
        String rules = Files.readString(RULES.resolve("alerts.yml"));
        String tests = Files.readString(RULES.resolve("alerts-test.yml"));
        String objectives = rules.substring(rules.indexOf("name: spectra-service-objectives"), rules.indexOf("name: spectra-components"));

        List<String> untested = new ArrayList<>();
        Matcher alert = Pattern.compile("- alert: (\\w+)").matcher(objectives);
        while (alert.find()) {
            if (!tests.contains("alertname: " + alert.group(1))) {
                untested.add(alert.group(1));
            }
        }
        assertThat(untested).as("objective alerts without a promtool test").isEmpty();
        assertThat(objectives).contains("SpectraConsumerLagGrowing", "SpectraJobsFailing", "SpectraEndToEndP99OverObjective",
                "SpectraDataApiThrottled", "SpectraNoQueryWorkerConsuming", "SpectraNoDeliveryWorkerConsuming");
    }
}
