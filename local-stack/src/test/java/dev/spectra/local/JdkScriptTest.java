package dev.spectra.local;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/jdk.sh}, which {@code ./spectra}, {@code bench/run} and {@code .ci/run} source, finds the JDK
 * even when the JVM announces options from the environment: with any of these variables set, the first line of
 * {@code java -version} is "Picked up ..." instead of the version.
 */
class JdkScriptTest {

    /** The JDK running this test: the build's, so 21 or newer. */
    private static final Path JDK = Path.of(System.getProperty("java.home"));

    @ParameterizedTest
    @ValueSource(strings = {"JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"})
    void acceptsTheJdkInJavaHomeWhenTheJvmAnnouncesOptions(String variable) throws Exception {
        Result found = sourceJdkScript(Map.of("JAVA_HOME", JDK.toString(), variable, "-Dspectra.jdk-script-test=true"));

        assertThat(found.exitCode()).as(found.output()).isZero();
        assertThat(found.output().strip()).isEqualTo(JDK.toString());
    }

    /** Without a release file the script asks {@code java -version}, and must read past the "Picked up" line. */
    @ParameterizedTest
    @ValueSource(strings = {"JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"})
    void readsTheVersionLineOfJavaVersionWhenTheJdkHasNoReleaseFile(String variable, @TempDir Path jdk) throws Exception {
        Files.createDirectory(jdk.resolve("bin"));
        Files.createSymbolicLink(jdk.resolve("bin/java"), JDK.resolve("bin/java"));
        Files.createSymbolicLink(jdk.resolve("bin/javac"), JDK.resolve("bin/javac"));
        Map<String, String> environment = Map.of("JAVA_HOME", jdk.toString(), variable, "-Dspectra.jdk-script-test=true");
        assertThat(run(environment, "\"$JAVA_HOME/bin/java\" -version").output().lines().findFirst().orElse(""))
                .as("the JVM announces the option first, the case this test is about")
                .contains("Picked up");

        Result found = sourceJdkScript(environment);

        assertThat(found.exitCode()).as(found.output()).isZero();
        assertThat(found.output().strip()).isEqualTo(jdk.toString());
    }

    private static Result sourceJdkScript(Map<String, String> environment) throws IOException, InterruptedException {
        return run(environment, ". scripts/jdk.sh; echo \"$JAVA_HOME\"");
    }

    private static Result run(Map<String, String> environment, String script) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script)
                .directory(TestRepository.root().toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeAll(Set.of("JAVA_HOME", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
