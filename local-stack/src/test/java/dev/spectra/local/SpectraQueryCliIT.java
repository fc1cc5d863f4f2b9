package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./spectra query} as a user runs it: the packaged client jar as a child process against the whole local stack,
 * judged by its exit code, stdout and stderr. The jar is built before this module ({@code cli} comes first).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpectraQueryCliIT {

    private static final String ACME = "acme";
    /** Minutes of counting unless stopped. */
    private static final String SLOW = "SELECT COUNT(*) FROM generate_series(1, 2000000000)";
    private static final Pattern JOB_LINE = Pattern.compile("^job (\\S+)$", Pattern.MULTILINE);
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(60);

    private LocalStack stack;
    private GatewayClient gateway;
    private String acmeToken;
    private Path cliJar;
    private Path workDirectory;

    /** What a finished run left behind. */
    record Run(int exitCode, String stdout, String stderr) {}

    @BeforeAll
    void startTheStack() throws IOException {
        Path root = TestRepository.root();
        cliJar = root.resolve("cli/target/spectra-cli.jar");
        assertThat(cliJar).as("the client jar, packaged by the cli module before local-stack").exists();
        workDirectory = Files.createDirectories(root.resolve("local-stack/target/spectra-query-cli-it"));
        stack = LocalStack.start(new LocalStackSettings(root, root.resolve("local-stack/target/spectra-query-cli-stack"), FreePorts.next()));
        gateway = new GatewayClient(stack.gatewayUrl());
        acmeToken = stack.tokens().tokenFor(TenantId.of(ACME));
    }

    @AfterAll
    void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aGroupedQueryPrintsTabSeparatedValuesWithAHeaderAndExitsZero() {
        Run run = query("SELECT region, COUNT(*) AS n FROM sales GROUP BY region ORDER BY region");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("region\tn");
        assertThat(lines.subList(1, lines.size())).extracting(line -> line.split("\t")[0]).containsExactly("APAC", "EU", "LATAM", "NA");
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(Long.parseLong(line.split("\t")[1])).isPositive());
        assertThat(run.stderr()).containsPattern(JOB_LINE).doesNotContain(acmeToken);
    }

    @Test
    void aStatementThatIsNotReadOnlyIsRefusedWithExitCodeTwo() {
        Run run = query("DROP TABLE sales");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).contains("SQL_NOT_READ_ONLY");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void aQueryThatFailsInTheWarehouseExitsOneWithItsError() {
        Run run = query("SELECT 1/0");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).contains("QUERY_FAILED");
    }

    @Test
    void aQueryPastItsTimeoutExitsThree() {
        Run run = query("--timeout", "2", SLOW);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
        assertThat(run.stderr()).contains("QUERY_TIMED_OUT");
    }

    @Test
    void aCsvExportWritesOneHeaderAndEveryRowToTheFile() throws IOException {
        Run count = query("SELECT COUNT(*) AS n FROM sales");
        assertThat(count.exitCode()).as(count.stderr()).isZero();
        long rows = Long.parseLong(count.stdout().lines().toList().get(1));
        Path out = workDirectory.resolve("sales-" + UUID.randomUUID() + ".csv");

        Run export = query("--format", "csv", "--out", out.toString(), "SELECT * FROM sales");

        assertThat(export.exitCode()).as(export.stderr()).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines.getFirst()).isEqualTo("tenant_id,order_id,region,product,amount,ordered_at");
        assertThat(lines.subList(1, lines.size())).hasSize((int) rows).noneMatch(line -> line.startsWith("tenant_id,"));
        assertThat(rows).isEqualTo(3000);
        assertThat(export.stderr()).contains("wrote " + out + " (" + Files.size(out) + " bytes)");
        assertThat(export.stdout()).isEmpty();
    }

    @Test
    void ctrlCCancelsTheRunningJobAndExitsOneHundredAndThirty() throws Exception {
        Path stdout = workDirectory.resolve("interrupted-" + UUID.randomUUID() + ".out");
        Path stderr = workDirectory.resolve("interrupted-" + UUID.randomUUID() + ".err");
        Process process = start(stdout, stderr, SLOW + " AS g WHERE g <> " + System.nanoTime());
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive() || JOB_LINE.matcher(read(stderr)).find());
            Matcher job = JOB_LINE.matcher(read(stderr));
            assertThat(job.find()).as(read(stderr)).isTrue();
            String jobId = job.group(1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "RUNNING".equals(gateway.status(acmeToken, ACME, jobId).text("status")));

            int kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();

            assertThat(kill).isZero();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the client exits after Ctrl-C").isTrue();
            assertThat(process.exitValue()).as(read(stderr)).isEqualTo(130);
            assertThat(read(stderr)).contains("cancelled job " + jobId);
            assertThat(gateway.status(acmeToken, ACME, jobId).text("status")).isEqualTo("CANCELLED");
        } finally {
            process.destroyForcibly();
        }
    }

    /** Runs the client to its end as acme. */
    private Run query(String... arguments) {
        String name = UUID.randomUUID().toString();
        Path stdout = workDirectory.resolve(name + ".out");
        Path stderr = workDirectory.resolve(name + ".err");
        Process process = start(stdout, stderr, arguments);
        try {
            assertThat(process.waitFor(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the client ends within %s", RUN_DEADLINE).isTrue();
            return new Run(process.exitValue(), read(stdout), read(stderr));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Output goes to files: once a child exits, the JDK closes its pipe under a reader and the last lines can be lost. */
    private Process start(Path stdout, Path stderr, String... arguments) {
        List<String> command = new ArrayList<>();
        if (sigintIgnored()) {
            // A JVM started with SIGINT ignored (a background job of a shell without job control) passes that on, and a
            // JVM never catches an ignored signal: give the client the default disposition, as a terminal would.
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.addAll(List.of(ChildProcess.javaExecutable(), "-jar", cliJar.toString(),
                "--gateway", stack.gatewayUrl().toString(), "--token", acmeToken, "--tenant", ACME));
        command.addAll(List.of(arguments));
        try {
            return new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bit 2 (SIGINT) of this process's ignored-signal mask. */
    private static boolean sigintIgnored() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("SigIgn:"))
                    .map(line -> Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16))
                    .anyMatch(mask -> (mask & 0x2) != 0);
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
