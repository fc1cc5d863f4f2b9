package dev.spectra.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A real Prometheus ({@code prometheus} from the PATH) on a free loopback port, scraping every service instance's
 * {@code /actuator/prometheus} every {@link #SCRAPE_INTERVAL} and evaluating {@code deploy/prometheus/alerts.yml}, with
 * its storage in this run's directory. Each target's {@code instance} label is the service instance's name; the services
 * tag every meter with {@code application} themselves. The targets are the instances running when it starts.
 */
public final class LocalPrometheus implements AutoCloseable {

    public static final String PROGRAM = "prometheus";
    public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final URI url;
    private final ChildProcess process;

    private LocalPrometheus(URI url, ChildProcess process) {
        this.url = url;
        this.process = process;
    }

    /** Where {@code prometheus} is on the PATH, if it is. */
    public static Optional<Path> installed() {
        return Programs.onPath(PROGRAM);
    }

    /** Starts Prometheus scraping {@code managementEndpoints} (instance name to actuator base URL) and waits until it is ready. */
    public static LocalPrometheus start(LocalStackSettings settings, Map<String, URI> managementEndpoints) {
        requireNonNull(settings, "settings is null");
        requireNonNull(managementEndpoints, "managementEndpoints is null");
        Path program = installed().orElseThrow(() -> new IllegalStateException(
                PROGRAM + " is not on the PATH: install it (Debian: apt-get install prometheus; ./spectra test does) or start without --with-prometheus"));
        Path directory = settings.runDirectory().resolve("prometheus");
        Path config = directory.resolve("prometheus.yml");
        try {
            Files.createDirectories(directory.resolve("data"));
            Files.writeString(config, configuration(settings.repositoryRoot().resolve("deploy/prometheus/alerts.yml"), managementEndpoints));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + config, e);
        }
        int port = FreePorts.next();
        URI url = URI.create("http://127.0.0.1:" + port);
        ChildProcess process = ChildProcess.start(PROGRAM, List.of(program.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + directory.resolve("data"),
                "--storage.tsdb.retention.time=1d",
                "--web.listen-address=127.0.0.1:" + port), Map.of(), settings.logDirectory().resolve("prometheus.log"));
        try {
            process.awaitReady(url.resolve("/-/ready"), response -> response.statusCode() == 200, START_TIMEOUT);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new LocalPrometheus(url, process);
    }

    /** The configuration file's text: one job, one static target per instance, labelled with the instance's name. */
    static String configuration(Path alertRules, Map<String, URI> managementEndpoints) {
        StringBuilder yaml = new StringBuilder()
                .append("# Written by ./spectra local for this run only.\n")
                .append("global:\n")
                .append("  scrape_interval: ").append(SCRAPE_INTERVAL.toSeconds()).append("s\n")
                .append("  evaluation_interval: ").append(SCRAPE_INTERVAL.toSeconds()).append("s\n")
                .append("rule_files:\n")
                .append("  - ").append(quoted(alertRules.toString())).append('\n')
                .append("scrape_configs:\n")
                .append("  - job_name: spectra\n")
                .append("    metrics_path: /actuator/prometheus\n")
                .append("    static_configs:\n");
        new TreeMap<>(managementEndpoints).forEach((instance, actuator) -> yaml
                .append("      - targets: [").append(quoted(actuator.getHost() + ":" + actuator.getPort())).append("]\n")
                .append("        labels:\n")
                .append("          instance: ").append(quoted(instance)).append('\n'));
        return yaml.toString();
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The HTTP API and UI, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return url;
    }

    @Override
    public void close() {
        process.close();
    }
}
