package dev.spectra.cli;

import dev.spectra.cli.FakeGateway.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.spectra.cli.FakeGateway.job;
import static org.assertj.core.api.Assertions.assertThat;

/** The entry point: help, usage errors, and a run wired from a local tenants file. */
class SpectraQueryTest {

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);

    @TempDir
    Path directory;

    private ExitCode run(Map<String, String> environment, String... arguments) {
        return SpectraQuery.run(List.of(arguments), environment, new Terminal(false), stdout, err);
    }

    @Test
    void helpPrintsTheUsageWithTheExitCodes() {
        assertThat(run(Map.of(), "--help")).isEqualTo(ExitCode.SUCCEEDED);

        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("usage: ./spectra query", "--param", "130", "TIMED_OUT");
    }

    @Test
    void aUsageErrorExitsTwoAndPointsAtHelp() {
        assertThat(run(Map.of(), "--format", "csv", "SELECT 1")).isEqualTo(ExitCode.REFUSED);

        assertThat(stderr.toString(StandardCharsets.UTF_8)).startsWith("spectra query: ").contains("--help");
    }

    @Test
    void noConnectionAnywhereExitsTwoWithoutSubmitting() {
        assertThat(run(Map.of(), "--local-state", directory.resolve("absent.json").toString(), "SELECT 1")).isEqualTo(ExitCode.REFUSED);

        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("no gateway");
    }

    @Test
    void runsAQueryAsTheFirstTenantOfTheLocalStacksFile() throws IOException {
        try (FakeGateway fake = new FakeGateway()) {
            fake.on("POST", "/v1/queries", Response.json(202, job("j1", "SUCCEEDED")));
            fake.on("GET", "/v1/queries/j1/results", Response.json(200, "{\"disposition\":\"INLINE\",\"columns\":[{\"name\":\"one\",\"type\":\"int4\"}],"
                    + "\"chunk_count\":1,\"truncated\":false,\"rows\":[[1]]}"));
            Path tenants = Files.writeString(directory.resolve("tenants.json"), "{\"gateway\": \"" + fake.url() + "\", \"tenants\": ["
                    + "{\"id\": \"acme\", \"token\": \"" + FakeGateway.TOKEN + "\"}, {\"id\": \"globex\", \"token\": \"other\"}]}");

            ExitCode code = run(Map.of(), "--local-state", tenants.toString(), "SELECT 1 AS one");

            assertThat(code).isEqualTo(ExitCode.SUCCEEDED);
            assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("one\n1\n");
            assertThat(fake.requests().getFirst().header("X-Tenant-ID")).isEqualTo("acme");
            assertThat(fake.requests().getFirst().header("Authorization")).isEqualTo("Bearer " + FakeGateway.TOKEN);
        }
    }
}
