package dev.spectra.bench;

import dev.spectra.common.tenant.TenantId;
import dev.spectra.local.LocalStack;
import dev.spectra.local.LocalStackSettings;
import dev.spectra.local.LocalWarehouse;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code bench/run [--quick] [scenario...]}: starts one local stack on loopback, runs the scenarios in a fixed
 * order, writes {@code bench/results/<timestamp>.json} and prints the Markdown table. See BENCHMARKS.md.
 */
public final class Bench {

    static final List<Scenario> SCENARIOS = List.of(new WarmTrivial(), new Drain(), new NoisyNeighbour(), new InFlight(), new Export(),
            new Submission(), new Wait(), new Bounce());
    /** Kafka brokers of the stack a bouncing scenario runs on: one can be killed without losing a write. */
    static final int BOUNCE_BROKERS = 3;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private Bench() {}

    /** The terminal: the stack's components print to System.out and System.err, which go to the log instead. */
    static final PrintStream CONSOLE = System.out;

    public static void main(String[] args) throws Exception {
        try {
            run(args);
            // Some embedded components leave non-daemon threads behind after they stop.
            System.exit(0);
        } catch (IllegalArgumentException e) {
            CONSOLE.println("bench: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            CONSOLE.println("bench: failed: " + e);
            e.printStackTrace(CONSOLE);
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Sizes sizes = Sizes.FULL;
        List<String> wanted = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                sizes = Sizes.QUICK;
            } else if (arg.startsWith("-")) {
                throw usage("unknown option " + arg);
            } else if (SCENARIOS.stream().noneMatch(s -> s.name().equals(arg))) {
                throw usage("unknown scenario " + arg);
            } else {
                wanted.add(arg);
            }
        }
        List<Scenario> scenarios = SCENARIOS.stream().filter(s -> wanted.isEmpty() || wanted.contains(s.name())).toList();
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path resultFile = root.resolve("bench/results/" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC).format(started) + ".json");
        Map<String, Object> machine = new LinkedHashMap<>(machine());
        CONSOLE.printf("bench: %s run of %s on %s cores, %s, JDK %s%n", sizes.mode(),
                scenarios.stream().map(Scenario::name).toList(), machine.get("nproc"), machine.get("memory"), machine.get("jdk"));

        Path log = Path.of(System.getProperty("bench.log", root.resolve("bench/target/bench.log").toString()));
        PrintStream logStream = new PrintStream(new FileOutputStream(log.toFile(), false), true, StandardCharsets.UTF_8);
        System.setOut(logStream);
        System.setErr(logStream);

        AtomicReference<LocalStack> running = new AtomicReference<>();
        Thread stopper = new Thread(() -> Optional.ofNullable(running.getAndSet(null)).ifPresent(LocalStack::close), "bench-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        List<ScenarioResult> results = new ArrayList<>();
        Map<String, Object> stackInfo = new LinkedHashMap<>();
        List<Scenario> sharing = scenarios.stream().filter(scenario -> !scenario.bouncesTheStack()).toList();
        if (!sharing.isEmpty()) {
            CONSOLE.println("bench: starting the local stack (services log to bench/target/stack/logs, the rest to " + root.relativize(log) + ")...");
            LocalStackSettings settings = new LocalStackSettings(root, root.resolve("bench/target/stack"), freePort());
            stackInfo.putAll(runOn(settings, sizes, sharing, running, results));
        }
        for (Scenario bouncing : scenarios.stream().filter(Scenario::bouncesTheStack).toList()) {
            CONSOLE.println("bench: starting a local stack with " + BOUNCE_BROKERS + " Kafka brokers for " + bouncing.name()
                    + " (logs in bench/target/" + bouncing.name() + "-stack/logs)...");
            LocalStackSettings settings = new LocalStackSettings(root, root.resolve("bench/target/" + bouncing.name() + "-stack"), freePort())
                    .withKafkaBrokers(BOUNCE_BROKERS);
            Map<String, Object> info = runOn(settings, sizes, List.of(bouncing), running, results);
            if (sharing.isEmpty()) {
                stackInfo.putAll(info);
            }
        }
        machine.put("load_average_end", loadAverage());
        Report report = new Report(started.toString(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), sizes.mode(),
                System.getProperty("bench.commit", "unknown"), machine, stackInfo, results);
        report.write(resultFile);
        CONSOLE.println();
        CONSOLE.print(report.markdown());
        CONSOLE.println();
        CONSOLE.println("bench: results in " + root.relativize(resultFile));
    }

    /** Starts a stack, runs the scenarios on it one after the other (quiet in between), stops it; returns its description. */
    private static Map<String, Object> runOn(LocalStackSettings settings, Sizes sizes, List<Scenario> scenarios,
                                             AtomicReference<LocalStack> running, List<ScenarioResult> results) throws Exception {
        LocalStack stack = LocalStack.start(settings);
        running.set(stack);
        try (DirectDataApi direct = new DirectDataApi(stack.dataApiEndpoint(), LocalStack.WAREHOUSE_CLUSTER, LocalWarehouse.DATABASE);
             WarehouseProbe warehouse = new WarehouseProbe(stack.warehouse().administratorDataSource())) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            TenantId acme = TenantId.of("acme");
            TenantId globex = TenantId.of("globex");
            BenchContext context = new BenchContext(sizes,
                    new TenantApp(http, stack.gatewayUrl(), acme.value(), stack.tokens().tokenFor(acme)),
                    new TenantApp(http, stack.gatewayUrl(), globex.value(), stack.tokens().tokenFor(globex)),
                    stack.databaseUserOf(acme), stack.databaseUserOf(globex), direct, warehouse,
                    new Prometheus(http, stack.managementEndpoints().get("query-worker")), stack, http);
            Map<String, Object> stackInfo = stackInfo(context);
            for (Scenario scenario : scenarios) {
                CONSOLE.printf("bench: %s - %s%n", scenario.name(), scenario.description());
                ScenarioResult result = scenario.run(context);
                results.add(result);
                CONSOLE.printf("bench: %s done in %.0f s%n", scenario.name(), result.seconds());
                if (!scenario.bouncesTheStack()) {
                    settle(context);
                }
            }
            return stackInfo;
        } finally {
            Optional.ofNullable(running.getAndSet(null)).ifPresent(LocalStack::close);
        }
    }

    /** Checks each tenant answers, and records what the gateway's rate limit was for this run. */
    private static Map<String, Object> stackInfo(BenchContext context) {
        Map<String, Object> info = new LinkedHashMap<>();
        for (TenantApp tenant : context.tenants()) {
            tenant.roundTripMillis("SELECT 1", context.sizes().pollInterval(), BenchContext.JOB_DEADLINE);
            info.put(tenant.tenant() + "_rate_limit_remaining_after_first_submit", tenant.lastRemaining());
        }
        info.put("gateway_rate_limit_capacity", Optional.ofNullable(System.getenv("SPECTRA_GATEWAY_RATELIMIT_CAPACITY")).orElse("default (20)"));
        info.put("gateway_rate_limit_refill_per_second",
                Optional.ofNullable(System.getenv("SPECTRA_GATEWAY_RATELIMIT_REFILLPERSECOND")).orElse("default (10)"));
        info.put("result_page_rows", LocalStack.RESULT_PAGE_ROWS);
        info.put("kafka_brokers", context.stack().kafkaBrokers());
        return info;
    }

    /** Between scenarios: nothing of the last one still runs in the warehouse or is followed by the worker. */
    private static void settle(BenchContext context) {
        long giveUp = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() < giveUp) {
            context.warehouse().cancelRunning(context.databaseUsers());
            double tracked = context.queryWorker().first(InFlight.GAUGES).map(Prometheus.Reading::value).orElse(0.0);
            if (tracked == 0 && context.warehouse().running(context.databaseUsers()) == 0) {
                return;
            }
            TenantApp.sleep(Duration.ofMillis(250));
        }
        CONSOLE.println("bench: warning: the system did not go quiet within " + SETTLE_TIMEOUT);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", procLine("/proc/cpuinfo", "model name").orElse("unknown"));
        machine.put("memory", procLine("/proc/meminfo", "MemTotal")
                .map(kb -> Math.round(Long.parseLong(kb.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB").orElse("unknown"));
        machine.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("load_average_start", loadAverage());
        return machine;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Optional<String> procLine(String file, String key) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(line -> line.startsWith(key)).findFirst().map(line -> line.substring(line.indexOf(':') + 1).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + "; usage: bench/run [--quick] ["
                + String.join("|", SCENARIOS.stream().map(Scenario::name).toList()) + "]...");
    }
}
