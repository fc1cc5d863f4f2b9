package dev.spectra.local;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.spectra.local.GatewayClient.Answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code ./spectra local} as a newcomer runs it: the packaged launcher, started and then stopped by SIGTERM. */
class SpectraLocalProcessIT {

    private static final Pattern READY = Pattern.compile("Spectra is ready in ([0-9.]+) s");

    @Test
    void startsTheWholeSystemWritesTenantsAndLeavesNothingBehindOnSigterm() throws Exception {
        Path root = TestRepository.root();
        Path launcher = Path.of(System.getProperty("spectra.local.launcher-jar", "target/spectra-local.jar"));
        Path state = root.resolve("local-stack/target/process-it-stack");
        int port = FreePorts.next();

        // Output goes to a file: once a child exits, the JDK closes its pipe under a reader and the last lines are lost.
        Files.createDirectories(state);
        Path outputFile = state.resolve("launcher-output.log");
        Process process = new ProcessBuilder(ChildProcess.javaExecutable(), "--enable-native-access=ALL-UNNAMED",
                "-Dspectra.local.repository-root=" + root,
                "-Dspectra.local.state-directory=" + state,
                "-jar", launcher.toString(), "--port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile())
                .start();
        Supplier<List<String>> output = () -> readLines(outputFile);
        try {
            await().atMost(Duration.ofSeconds(150)).until(() -> !process.isAlive() || output.get().stream().anyMatch(READY.asPredicate()));
            assertThat(process.isAlive()).as("launcher output:%n%s", String.join("\n", output.get())).isTrue();
            System.out.println("time to ready: " + readySeconds(output.get()) + " s");

            Path tenantsFile = state.resolve("tenants.json");
            JsonNode tenants = GatewayClient.JSON.readTree(Files.readString(tenantsFile));
            assertThat(tenants.get("gateway").asString()).isEqualTo("http://localhost:" + port);
            assertThat(tenants.get("tenants")).extracting(tenant -> tenant.get("id").asString()).containsExactly("acme", "globex");
            Path administratorFile = state.resolve("warehouse-admin.json");
            // bearer tokens and the warehouse superuser's password: readable by their owner only
            assertThat(Files.getPosixFilePermissions(tenantsFile)).isEqualTo(PrivateFiles.OWNER_READ_WRITE);
            assertThat(Files.getPosixFilePermissions(administratorFile)).isEqualTo(PrivateFiles.OWNER_READ_WRITE);

            GatewayClient gateway = new GatewayClient(java.net.URI.create(tenants.get("gateway").asString()));
            String token = tenants.get("tenants").get(0).get("token").asString();
            long submitted = System.nanoTime();
            Answer accepted = gateway.submit(token, "acme", "SELECT DISTINCT tenant_id FROM sales");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            String jobId = accepted.text("job_id");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> "SUCCEEDED".equals(gateway.status(token, "acme", jobId).text("status")));
            System.out.printf("POST to SUCCEEDED: %d ms%n", (System.nanoTime() - submitted) / 1_000_000);
            assertThat(gateway.results(token, "acme", jobId).json().get("rows").toString()).isEqualTo("[[\"acme\"]]");

            List<ProcessHandle> children = process.descendants().toList();
            assertThat(children).as("S3Mock and the three services").hasSizeGreaterThanOrEqualTo(4);

            process.destroy(); // SIGTERM, as Ctrl-C's sibling
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("launcher stops within 60 s").isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
            assertThat(tenantsFile).doesNotExist();
            assertThat(state.resolve("warehouse-admin.json")).doesNotExist();
            assertThat(state.resolve("run")).doesNotExist();
            assertThat(output.get()).contains("Stopped.");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readySeconds(Iterable<String> output) {
        for (String line : output) {
            Matcher matcher = READY.matcher(line);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return "?";
    }
}
