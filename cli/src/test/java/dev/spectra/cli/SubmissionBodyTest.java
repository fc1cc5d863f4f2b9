package dev.spectra.cli;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SubmissionBodyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode bodyFor(String... arguments) {
        return JSON.readTree(JSON.writeValueAsString(SubmissionBody.of(QueryOptions.parse(List.of(arguments)), JSON)));
    }

    @Test
    void theDefaultAsksForTheApisDefaultDeliveryWithoutWaiting() {
        assertThat(bodyFor("SELECT 1")).isEqualTo(JSON.readTree("{\"sql\": \"SELECT 1\", \"wait_seconds\": 0}"));
        assertThat(bodyFor("--format", "json", "SELECT 1")).isEqualTo(JSON.readTree("{\"sql\": \"SELECT 1\", \"wait_seconds\": 0}"));
    }

    @Test
    void eachExportFormatAsksForLinksToUncompressedFiles() {
        assertThat(bodyFor("--format", "csv", "--out", "x", "SELECT 1")).isEqualTo(JSON.readTree(
                "{\"sql\": \"SELECT 1\", \"wait_seconds\": 0, \"format\": \"CSV\", \"disposition\": \"EXTERNAL_LINKS\", \"compression\": \"NONE\"}"));
        assertThat(bodyFor("--format", "jsonl", "--out", "x", "SELECT 1").get("format").asString()).isEqualTo("JSON_LINES");
        assertThat(bodyFor("--format", "parquet", "--out", "x", "SELECT 1").get("format").asString()).isEqualTo("PARQUET");
    }

    @Test
    void aTimeoutIsTheJobsOwnTimeoutInSeconds() {
        assertThat(bodyFor("--timeout", "2", "SELECT 1").get("timeout_seconds").asInt()).isEqualTo(2);
    }

    @Test
    void parametersCarryTheirTypeAndNullIsAJsonNull() {
        JsonNode parameters = bodyFor("--param", "region=EU", "--param", "n=3:INT", "--param", "x=null:INT", "SELECT :region, :n, :x")
                .get("parameters");

        assertThat(parameters).isEqualTo(JSON.readTree("""
                [{"name": "region", "value": "EU", "type": "STRING"},
                 {"name": "n", "value": "3", "type": "INT"},
                 {"name": "x", "value": null, "type": "INT"}]"""));
    }
}
