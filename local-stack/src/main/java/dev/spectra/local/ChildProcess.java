package dev.spectra.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/** A process the local stack started: its output goes to a log file, and it is stopped with the stack. */
final class ChildProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path logFile;
    private volatile boolean frozen;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path logFile) {
        requireNonNull(name, "name is null");
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    // Appended: a restarted instance's log follows what it wrote before it was killed.
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            log.info("Started {} (pid {}), log: {}", name, process.pid(), logFile);
            return new ChildProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** The Java that runs this launcher also runs its children: one JDK to install, one to point at. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Waits until {@code probe} answers as {@code ready} says; fails at once if the process dies first. */
    void awaitReady(URI probe, Predicate<HttpResponse<String>> ready, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        awaitReady(() -> {
            try {
                return ready.test(http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            } catch (IOException notYetListening) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }, timeout);
    }

    /** Waits until {@code ready} holds, asking it every 200 ms; fails at once if the process dies first. */
    void awaitReady(BooleanSupplier ready, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " while starting; see " + logFile
                        + System.lineSeparator() + tail());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            pause();
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; see " + logFile
                + System.lineSeparator() + tail());
    }

    String name() {
        return name;
    }

    /** SIGKILL, as a crash or an OOM killer would: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Killed {} (pid {})", name, process.pid());
    }

    /**
     * SIGSTOP: the process stops on the spot, as in a long GC pause or a VM that was suspended, and keeps its
     * sockets, leases and state for when it is woken. {@link ProcessHandle} cannot send it, {@code kill} can.
     */
    void freeze() {
        signal("STOP");
        frozen = true;
        log.info("Froze {} (pid {})", name, process.pid());
    }

    /** SIGCONT: a frozen process carries on where it stopped, unaware that time passed. */
    void thaw() {
        signal("CONT");
        frozen = false;
        log.info("Thawed {} (pid {})", name, process.pid());
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " (" + name + ") failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not send SIG" + signal + " to " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        if (frozen) {
            // A stopped process only acts on SIGTERM once it runs again.
            thaw();
        }
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("{} did not stop within {} s; killing it", name, GRACE.toSeconds());
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200); // polling interval of a readiness probe, not a correctness wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
