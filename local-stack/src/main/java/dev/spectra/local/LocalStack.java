package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import dev.spectra.local.dataapi.DataApiEmulator;
import dev.spectra.local.dataapi.DataApiSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The whole system on loopback: embedded infrastructure in this JVM (Kafka, PostgreSQL, the Data API
 * emulator, DynamoDB Local), S3Mock and the three services as child processes. The services get the
 * configuration they use in AWS; only endpoints and credentials differ.
 */
public final class LocalStack implements AutoCloseable {

    public static final String WAREHOUSE_CLUSTER = "spectra-local";
    public static final String GATEWAY_MODULE = "api-gateway-service";
    public static final List<String> SERVICE_MODULES = List.of(GATEWAY_MODULE, "query-worker", "delivery-worker");

    /** Small pages, so that paging is exercised locally the way large results page in AWS. */
    public static final int RESULT_PAGE_ROWS = 500;

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> SERVICE_JVM_OPTIONS = List.of(
            "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8");

    private final LocalStackSettings settings;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final LocalTokens tokens = LocalTokens.withRandomKey();
    /** Decided before anything starts: the warehouse and the tenant registry start in parallel and must agree. */
    private final TenantProvisioning provisioning;
    private LocalWarehouse warehouse;
    private LocalKafka kafka;
    private LocalDynamoDb dynamoDb;
    private LocalS3 s3;
    private DataApiEmulator dataApi;
    private final Map<String, URI> managementEndpoints = new HashMap<>();

    private LocalStack(LocalStackSettings settings) {
        this.settings = settings;
        this.provisioning = TenantProvisioning.generate(DemoTenant.ALL, settings.tenantLimits());
    }

    public static LocalStack start(LocalStackSettings settings) {
        FreePorts.requireFree(settings.gatewayPort());
        requireBuilt(settings);
        LocalStack stack = new LocalStack(settings);
        try {
            stack.startInfrastructure();
            stack.startServices();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    public URI gatewayUrl() {
        return URI.create("http://localhost:" + settings.gatewayPort());
    }

    public LocalTokens tokens() {
        return tokens;
    }

    public LocalWarehouse warehouse() {
        return warehouse;
    }

    /** The opaque database user this run provisioned for the tenant, in the warehouse and in the registry. */
    public String databaseUserOf(TenantId tenant) {
        return provisioning.databaseUserOf(tenant);
    }

    public TenantProvisioning provisioning() {
        return provisioning;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    /** The Redshift Data API emulator the query worker talks to, e.g. for a client that bypasses Spectra. */
    public URI dataApiEndpoint() {
        return dataApi.endpoint();
    }

    /** Each service's actuator base URL, e.g. for {@code /actuator/prometheus}. */
    public Map<String, URI> managementEndpoints() {
        return Map.copyOf(managementEndpoints);
    }

    public Path logDirectory() {
        return settings.logDirectory();
    }

    private void startInfrastructure() {
        Path run = settings.runDirectory();
        deleteRecursively(run);
        createDirectories(run, settings.logDirectory(), settings.cacheDirectory());

        ExecutorService starters = Executors.newFixedThreadPool(4);
        try {
            CompletableFuture<LocalWarehouse> warehouseStarted = CompletableFuture.supplyAsync(
                    () -> LocalWarehouse.start(run.resolve("postgres"), settings.cacheDirectory().resolve("postgres"),
                            settings.warehouseAdministratorFile(), provisioning),
                    starters);
            CompletableFuture<LocalKafka> kafkaStarted = CompletableFuture.supplyAsync(LocalKafka::start, starters);
            CompletableFuture<LocalDynamoDb> dynamoDbStarted = CompletableFuture.supplyAsync(
                    () -> LocalDynamoDb.start(settings.runtimeDirectory().resolve("native"),
                            provisioning.tenants().stream().map(ProvisionedTenant::registryEntry).toList()), starters);
            CompletableFuture<LocalS3> s3Started = CompletableFuture.supplyAsync(
                    () -> LocalS3.start(settings.runtimeDirectory().resolve("s3mock.jar"), createDirectories(run.resolve("s3")),
                            settings.logDirectory().resolve("s3mock.log")),
                    starters);

            // Collect every outcome before failing, so that whatever did start is stopped again.
            warehouse = track(await(warehouseStarted));
            kafka = track(await(kafkaStarted));
            dynamoDb = track(await(dynamoDbStarted));
            s3 = track(await(s3Started));
            throwFirstFailure(warehouseStarted, kafkaStarted, dynamoDbStarted, s3Started);
        } finally {
            starters.shutdown();
        }

        // Every session and running statement holds a warehouse connection: 64 + 64 stays under max_connections (200).
        dataApi = track(DataApiEmulator.start(DataApiSettings.defaults("127.0.0.1", warehouse.port(), warehouse.passwordsByDatabaseUser())
                .withResultPageRows(RESULT_PAGE_ROWS)
                .withLimits(64, 64)
                .withSpoolDirectory(run.resolve("data-api-results"))));
        log.info("Redshift Data API emulator on {}", dataApi.endpoint());
    }

    private void startServices() {
        List<ChildProcess> services = new ArrayList<>();
        for (String module : SERVICE_MODULES) {
            int port = module.equals(GATEWAY_MODULE) ? settings.gatewayPort() : FreePorts.next();
            List<String> command = new ArrayList<>();
            command.add(ChildProcess.javaExecutable());
            command.addAll(SERVICE_JVM_OPTIONS);
            command.add("-jar");
            command.add(settings.serviceJar(module).toString());
            command.addAll(serviceArguments(module, port));
            Map<String, String> environment = new HashMap<>(LocalAws.environment());
            if (module.equals(GATEWAY_MODULE)) {
                environment.put("SPECTRA_GATEWAY_AUTH_HMAC_SECRET", tokens.secret());
            }
            services.add(ChildProcess.start(module, command, environment, settings.logDirectory().resolve(module + ".log")));
            managementEndpoints.put(module, URI.create("http://127.0.0.1:" + port + "/actuator"));
        }
        // Each service drains its own work on SIGTERM; they need not wait for one another.
        track((AutoCloseable) () -> services.parallelStream().forEach(ChildProcess::close));
        List<CompletableFuture<Void>> ready = services.stream()
                .map(service -> CompletableFuture.runAsync(() -> service.awaitReady(
                        managementEndpoints.get(service.name()).resolve("/actuator/health"),
                        response -> response.statusCode() == 200, SERVICE_START_TIMEOUT)))
                .toList();
        ready.forEach(LocalStack::await);
        throwFirstFailure(ready.toArray(CompletableFuture[]::new));
    }

    private List<String> serviceArguments(String module, int port) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spectra.aws.region=" + LocalAws.REGION.id(),
                "--spectra.aws.endpoints.dynamodb=" + dynamoDb.endpoint(),
                "--spectra.aws.endpoints.s3=" + s3.endpoint(),
                "--spectra.aws.endpoints.redshift-data=" + dataApi.endpoint(),
                "--spectra.aws.s3-path-style=true"));
        if (module.equals(GATEWAY_MODULE)) {
            arguments.add("--spectra.gateway.auth.issuer=" + LocalTokens.ISSUER);
            arguments.add("--spectra.gateway.auth.audience=" + LocalTokens.AUDIENCE);
        }
        if (module.equals("query-worker")) {
            arguments.add("--spectra.warehouse.cluster-identifier=" + WAREHOUSE_CLUSTER);
            arguments.add("--spectra.warehouse.database=" + LocalWarehouse.DATABASE);
        }
        return arguments;
    }

    /** Stops everything in the reverse order of starting and removes this run's files. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                log.warn("{} did not stop cleanly: {}", component.getClass().getSimpleName(), e.toString());
            }
        }
        deleteRecursively(settings.runDirectory());
    }

    private <T> T track(T component) {
        if (component instanceof AutoCloseable closeable) {
            started.push(closeable);
        }
        return component;
    }

    private static void requireBuilt(LocalStackSettings settings) {
        List<Path> missing = Stream.concat(
                        SERVICE_MODULES.stream().map(settings::serviceJar),
                        Stream.of(settings.runtimeDirectory().resolve("s3mock.jar"), settings.runtimeDirectory().resolve("native")))
                .filter(path -> !Files.exists(path))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not built yet: " + missing + "; run ./spectra local (it builds) or ./mvnw -DskipTests package");
        }
    }

    /** Waits for the outcome: null if it failed, which {@link #throwFirstFailure} then reports. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            return null;
        }
    }

    private static void throwFirstFailure(CompletableFuture<?>... futures) {
        for (CompletableFuture<?> future : futures) {
            if (future.isCompletedExceptionally()) {
                try {
                    future.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                }
            }
        }
    }

    private static Path createDirectories(Path... directories) {
        try {
            for (Path directory : directories) {
                Files.createDirectories(directory);
            }
            return directories[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not remove {}: {}", root, e.toString());
        }
    }
}
