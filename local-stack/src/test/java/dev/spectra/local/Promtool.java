package dev.spectra.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Prometheus's {@code promtool}, for the tests that check rules, dashboards and configurations with it. */
final class Promtool {

    record Result(int exitCode, String output) {}

    private Promtool() {}

    /** Skips the calling test, saying why, when promtool is not installed. */
    static void assumeInstalled() {
        assumeTrue(Programs.onPath("promtool").isPresent(),
                "promtool is not on the PATH: install Debian's prometheus package (./spectra test does)");
    }

    /** Runs promtool with {@code arguments} in {@code directory}: its exit code and its output and errors together. */
    static Result run(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ended").isTrue();
        return new Result(process.exitValue(), output);
    }
}
