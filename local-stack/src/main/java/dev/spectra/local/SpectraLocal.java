package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./spectra local}: starts the whole system on loopback and keeps it up until Ctrl-C or
 * SIGTERM, then stops every process it started and removes this run's files.
 */
public final class SpectraLocal {

    private static final Logger log = LoggerFactory.getLogger(SpectraLocal.class);
    private static final int DEFAULT_GATEWAY_PORT = 8080;

    private SpectraLocal() {}

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("spectra local: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        if (options.withPrometheus() && LocalPrometheus.installed().isEmpty()) {
            System.err.println("spectra local: --with-prometheus needs " + LocalPrometheus.PROGRAM
                    + " on the PATH, and it is not there (Debian: apt-get install prometheus)");
            System.exit(2);
            return;
        }

        Path root = Path.of(System.getProperty("spectra.local.repository-root", ".")).toAbsolutePath().normalize();
        Path state = Path.of(System.getProperty("spectra.local.state-directory", root.resolve(".spectra/local").toString()));
        LocalStackSettings settings = new LocalStackSettings(root, state, options.gatewayPort());
        Path tenantsFile = settings.stateDirectory().resolve("tenants.json");

        long startedAt = System.nanoTime();
        LocalStack stack;
        try {
            stack = LocalStack.start(settings);
        } catch (RuntimeException e) {
            log.error("The local stack did not start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        LocalPrometheus prometheus = null;
        if (options.withPrometheus()) {
            try {
                prometheus = LocalPrometheus.start(settings, stack.managementEndpoints());
            } catch (RuntimeException e) {
                log.error("Prometheus did not start: {}", e.getMessage());
                stack.close();
                System.exit(1);
                return;
            }
        }
        LocalPrometheus startedPrometheus = prometheus;
        double seconds = (System.nanoTime() - startedAt) / 1e9;

        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                System.out.println(System.lineSeparator() + "Stopping the local stack...");
                if (startedPrometheus != null) {
                    startedPrometheus.close();
                }
                stack.close();
                deleteQuietly(tenantsFile);
                System.out.println("Stopped.");
            }
        };
        // Stop in order on Ctrl-C and SIGTERM *before* the JVM's shutdown hooks run: those run all at
        // once, and the embedded broker's hook deletes its log folder while the broker still writes.
        for (String signal : List.of("INT", "TERM")) {
            Signal.handle(new Signal(signal), received -> {
                stop.run();
                System.exit(0);
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "spectra-local-shutdown"));

        Map<DemoTenant, String> tokens = new LinkedHashMap<>();
        for (DemoTenant tenant : List.of(DemoTenant.ACME, DemoTenant.GLOBEX)) {
            tokens.put(tenant, stack.tokens().tokenFor(tenant.id()));
        }
        writeTenantsFile(tenantsFile, stack.gatewayUrl().toString(), tokens);
        printReady(System.out, stack, startedPrometheus, tokens, tenantsFile, seconds);
        // The stack's threads keep the JVM alive; a signal ends it.
    }

    private static void writeTenantsFile(Path file, String gateway, Map<DemoTenant, String> tokens) {
        Map<TenantId, String> byTenant = new LinkedHashMap<>();
        tokens.forEach((tenant, token) -> byTenant.put(tenant.id(), token));
        try {
            TenantsFile.write(file, gateway, byTenant);
        } catch (IOException e) {
            log.warn("Could not write {}: {}", file, e.toString());
        }
    }

    private static void printReady(PrintStream out, LocalStack stack, LocalPrometheus prometheus, Map<DemoTenant, String> tokens,
                                   Path tenantsFile, double seconds) {
        String gateway = stack.gatewayUrl().toString();
        out.println();
        out.printf("Spectra is ready in %.1f s%n", seconds);
        out.println();
        out.println("  Gateway:  " + gateway);
        out.println("  Tenants:  " + tenantsFile + " (tokens valid for " + LocalTokens.LIFETIME.toHours() + " h, this run only)");
        tokens.forEach((tenant, token) -> out.printf("  %-8s  %s%n", tenant.id(), token));
        // Each service's management port, never the gateway's API port: that one serves no /actuator.
        out.println("  Metrics:  each service's management port (health and probes beside it: /actuator/health/readiness)");
        new TreeMap<>(stack.managementEndpoints()).forEach((service, uri) -> out.printf("    %-20s %s/prometheus%n", service, uri));
        if (prometheus != null) {
            out.println("  Prometheus: " + prometheus.url() + " (scraping every service every " + LocalPrometheus.SCRAPE_INTERVAL.toSeconds()
                    + " s, with deploy/prometheus/alerts.yml; dashboards for it in deploy/grafana/dashboards)");
        } else {
            out.println("  Prometheus: not started (--with-prometheus starts one scraping these, when prometheus is on the PATH)");
        }
        out.println("  Logs:     " + stack.logDirectory());
        out.println();
        out.println("Try it:");
        out.println("  TOKEN=" + tokens.get(DemoTenant.ACME));
        out.println("  curl -s -X POST " + gateway + "/v1/queries -H \"Authorization: Bearer $TOKEN\" -H 'X-Tenant-ID: acme' \\");
        out.println("       -H 'Content-Type: application/json' -d '{\"sql\": \"SELECT region, SUM(amount) FROM sales GROUP BY region\"}'");
        out.println("  curl -s " + gateway + "/v1/queries/<job_id> -H \"Authorization: Bearer $TOKEN\" -H 'X-Tenant-ID: acme'");
        out.println("  curl -s " + gateway + "/v1/queries/<job_id>/results -H \"Authorization: Bearer $TOKEN\" -H 'X-Tenant-ID: acme'");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", file, e.toString());
        }
    }

    record Options(int gatewayPort, boolean withPrometheus, boolean help) {

        static final String USAGE = """
                usage: ./spectra local [--port N] [--with-prometheus]
                  --port N             the gateway's port on localhost (default 8080)
                  --with-prometheus    also start prometheus (from the PATH) scraping every service""";

        static Options parse(String[] args) {
            int port = DEFAULT_GATEWAY_PORT;
            boolean withPrometheus = false;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("-h") || arg.equals("--help")) {
                    help = true;
                } else if (arg.equals("--port") && i + 1 < args.length) {
                    port = parsePort(args[++i]);
                } else if (arg.equals("--with-prometheus")) {
                    withPrometheus = true;
                } else if (arg.startsWith("--port=")) {
                    port = parsePort(arg.substring("--port=".length()));
                } else {
                    throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            return new Options(port, withPrometheus, help);
        }

        private static int parsePort(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("--port must be between 1 and 65535: " + value);
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port takes a number: " + value);
            }
        }
    }
}
