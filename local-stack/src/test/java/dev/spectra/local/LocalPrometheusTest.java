package dev.spectra.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LocalPrometheusTest {

    private static final Path ALERTS = TestRepository.root().resolve("deploy/prometheus/alerts.yml");
    private static final Map<String, URI> ENDPOINTS = Map.of(
            "api-gateway-service", URI.create("http://127.0.0.1:41001/actuator"),
            "query-worker", URI.create("http://127.0.0.1:41002/actuator"),
            "delivery-worker", URI.create("http://127.0.0.1:41003/actuator"));

    @Test
    void scrapesEveryInstancesActuatorNamingItsInstanceAndLoadsTheAlertRules() {
        String configuration = LocalPrometheus.configuration(ALERTS, ENDPOINTS);

        assertThat(configuration).contains("metrics_path: /actuator/prometheus", "scrape_interval: 2s", "\"" + ALERTS + "\"",
                "- targets: [\"127.0.0.1:41001\"]\n        labels:\n          instance: \"api-gateway-service\"",
                "- targets: [\"127.0.0.1:41002\"]\n        labels:\n          instance: \"query-worker\"",
                "- targets: [\"127.0.0.1:41003\"]\n        labels:\n          instance: \"delivery-worker\"");
        // A target label named service would replace spectra_aws_calls_seconds' own (dynamodb, s3, redshift-data).
        assertThat(configuration).doesNotContain("service:", "application:");
    }

    @Test
    void theConfigurationPassesPromtoolCheckConfig(@TempDir Path directory) throws Exception {
        assumeTrue(AlertRulesTest.onPath("promtool"), "promtool is not on the PATH: install Debian's prometheus package (./spectra test does)");
        Path file = directory.resolve("prometheus.yml");
        Files.writeString(file, LocalPrometheus.configuration(ALERTS, ENDPOINTS));

        Process process = new ProcessBuilder("promtool", "check", "config", file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ended").isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS", "rules found");
    }
}
