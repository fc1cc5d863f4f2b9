package dev.spectra.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
        Promtool.assumeInstalled();
        Path file = directory.resolve("prometheus.yml");
        Files.writeString(file, LocalPrometheus.configuration(ALERTS, ENDPOINTS));

        Promtool.Result check = Promtool.run(directory, "check", "config", file.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS", "rules found");
    }
}
