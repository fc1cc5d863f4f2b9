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
    /** The Data API emulator's sessions and active statements; each holds a PostgreSQL connection (max_connections 200). */
    static final int WAREHOUSE_SESSIONS = 64;
    /** {@code spectra.sessions.max-open} and {@code spectra.scheduling.max-running} of each local query worker: half the warehouse's. */
    static final int SESSIONS_PER_QUERY_WORKER = WAREHOUSE_SESSIONS / 2;

    /** The role the local query workers name in UNLOAD; account 000000000000, as local AWS stand-ins use. */
    public static final String UNLOAD_IAM_ROLE = "arn:aws:iam::000000000000:role/spectra-local-unload";

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
    private final Map<String, URI> managementEndpoints = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, ServiceInstance> services = new java.util.concurrent.ConcurrentHashMap<>();

    private LocalStack(LocalStackSettings settings) {
        this.settings = settings;
        this.provisioning = TenantProvisioning.generate(settings.tenants(), settings.tenantLimits());
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

    /**
     * Each service instance's actuator base URL on its management port, e.g. {@code http://127.0.0.1:41234/actuator}
     * for {@code /actuator/prometheus}; the gateway's is not its API port.
     */
    public Map<String, URI> managementEndpoints() {
        return Map.copyOf(managementEndpoints);
    }

    public Path logDirectory() {
        return settings.logDirectory();
    }

    private void startInfrastructure() {
        Path run = settings.runDirectory();
        deleteRecursively(run);
        // Each run's logs start empty; within a run a restarted process appends to its log.
        deleteRecursively(settings.logDirectory());
        createDirectories(run, settings.logDirectory(), settings.cacheDirectory());

        ExecutorService starters = Executors.newFixedThreadPool(4);
        try {
            CompletableFuture<LocalWarehouse> warehouseStarted = CompletableFuture.supplyAsync(
                    () -> LocalWarehouse.start(run.resolve("postgres"), settings.cacheDirectory().resolve("postgres"),
                            settings.warehouseAdministratorFile(), provisioning),
                    starters);
            CompletableFuture<LocalKafka> kafkaStarted = CompletableFuture.supplyAsync(() -> settings.kafkaBrokers() == 1
                    ? InProcessKafka.start()
                    : KafkaBrokerProcesses.start(settings.kafkaBrokers(), run.resolve("kafka"), settings.logDirectory()), starters);
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
        // Started once S3 is up (in parallel with the rest), since UNLOAD writes there.
        dataApi = track(DataApiEmulator.start(DataApiSettings.defaults("127.0.0.1", warehouse.port(), warehouse.passwordsByDatabaseUser())
                .withResultPageRows(RESULT_PAGE_ROWS)
                .withLimits(WAREHOUSE_SESSIONS, WAREHOUSE_SESSIONS)
                .withSpoolDirectory(run.resolve("data-api-results"))
                .withUnloadTo(s3.endpoint(), LocalS3.RESULTS_BUCKET)));
        log.info("Redshift Data API emulator on {}", dataApi.endpoint());
    }

    private void startServices() {
        track((AutoCloseable) () -> List.copyOf(services.values()).parallelStream().forEach(ServiceInstance::stop));
        List<CompletableFuture<Void>> ready = SERVICE_MODULES.stream()
                .map(module -> CompletableFuture.runAsync(() -> launch(module, module, module.equals(GATEWAY_MODULE)
                        ? new ServicePorts(settings.gatewayPort(), FreePorts.next())
                        : ServicePorts.managementOnly(FreePorts.next()))))
                .toList();
        ready.forEach(LocalStack::await);
        throwFirstFailure(ready.toArray(CompletableFuture[]::new));
    }

    /**
     * Starts one more instance of a worker module (a fleet of two or more), on its own management port and
     * log file, and waits until it is ready. Returns its instance name, e.g. {@code query-worker-2}.
     */
    public String startAnother(String module) {
        if (!SERVICE_MODULES.contains(module) || module.equals(GATEWAY_MODULE)) {
            throw new IllegalArgumentException("only worker modules run as fleets: " + module);
        }
        String instance;
        synchronized (services) {
            int number = 2;
            while (services.containsKey(module + "-" + number)) {
                number++;
            }
            instance = module + "-" + number;
            services.put(instance, ServiceInstance.PENDING);
        }
        launch(module, instance, ServicePorts.managementOnly(FreePorts.next()));
        return instance;
    }

    /** kill -9: the instance dies at once, leaving its leases, sessions and uncommitted records behind. */
    public void kill(String instance) {
        service(instance).process().kill();
    }

    /** Starts a killed or stopped instance again, with the same command line, and waits until it is ready. */
    public void restart(String instance) {
        ServiceInstance stopped = service(instance);
        launch(stopped.module(), instance, stopped.ports());
    }

    /**
     * SIGSTOP: the instance stops on the spot (a long GC pause, a suspended VM) holding its leases, sessions and
     * partitions, until {@link #thaw}. Past its lease (15 s) and the next sweep its jobs belong to the others.
     */
    public void freeze(String instance) {
        service(instance).process().freeze();
    }

    /** SIGCONT: a frozen instance carries on from where it stopped, and must find out that its jobs moved. */
    public void thaw(String instance) {
        service(instance).process().thaw();
    }

    /** How many Kafka brokers run: 1 in process, or the broker processes of {@link LocalStackSettings#withKafkaBrokers}. */
    public int kafkaBrokers() {
        return settings.kafkaBrokers();
    }

    /** kill -9 of Kafka broker {@code broker} (1-based); only with broker processes. */
    public void killBroker(int broker) {
        brokerProcesses().kill(broker);
    }

    /** Starts a killed broker again, with its log directory as it left it, and waits until it is a live broker. */
    public void restartBroker(int broker) {
        brokerProcesses().restart(broker);
    }

    /** Waits until every partition has all its replicas in sync again, e.g. after {@link #restartBroker}. */
    public void awaitKafkaFullyReplicated(Duration timeout) {
        brokerProcesses().awaitFullyReplicated(timeout);
    }

    private KafkaBrokerProcesses brokerProcesses() {
        if (kafka instanceof KafkaBrokerProcesses processes) {
            return processes;
        }
        throw new IllegalStateException("Kafka runs in process; start the stack with LocalStackSettings.withKafkaBrokers(3)");
    }

    /** Every service instance this stack started, by name (the modules' names, and e.g. query-worker-2). */
    public List<String> serviceInstances() {
        return List.copyOf(services.keySet());
    }

    /** How many statements with exactly this SQL text reached the warehouse. */
    public long warehouseExecutionsOf(String sql) {
        return dataApi.executionsOf(sql);
    }

    private ServiceInstance service(String instance) {
        ServiceInstance service = services.get(instance);
        if (service == null || service == ServiceInstance.PENDING) {
            throw new IllegalArgumentException("no such service instance: " + instance);
        }
        return service;
    }

    private void launch(String module, String instance, ServicePorts ports) {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(SERVICE_JVM_OPTIONS);
        command.addAll(settings.serviceJvmOptions().getOrDefault(module, List.of()));
        command.add("-jar");
        command.add(settings.serviceJar(module).toString());
        command.addAll(serviceArguments(module, ports));
        command.addAll(logArguments(instance));
        settings.serviceProperties().getOrDefault(module, List.of()).forEach(property -> command.add("--" + property));
        Map<String, String> environment = new HashMap<>(LocalAws.environment());
        if (module.equals(GATEWAY_MODULE)) {
            environment.put("SPECTRA_GATEWAY_AUTH_HMAC_SECRET", tokens.secret());
        }
        ChildProcess process = ChildProcess.start(instance, command, environment, settings.logDirectory().resolve(instance + ".log"));
        URI management = URI.create("http://127.0.0.1:" + ports.management() + "/actuator");
        services.put(instance, new ServiceInstance(module, ports, process));
        managementEndpoints.put(instance, management);
        process.awaitReady(management.resolve("/actuator/health"), response -> response.statusCode() == 200, SERVICE_START_TIMEOUT);
    }

    /**
     * Where a service listens: {@code server} for its API (the gateway's), {@code management} for its actuator. The
     * workers have no API: their {@code server.port} serves only the actuator, and the two are the same.
     */
    private record ServicePorts(int server, int management) {
        static ServicePorts managementOnly(int port) {
            return new ServicePorts(port, port);
        }
    }

    /** One running (or killed) service process. */
    private record ServiceInstance(String module, ServicePorts ports, ChildProcess process) {
        /** A name taken while its instance starts. */
        static final ServiceInstance PENDING = new ServiceInstance("", ServicePorts.managementOnly(0), null);

        void stop() {
            if (process != null) {
                process.close();
            }
        }
    }

    private List<String> serviceArguments(String module, ServicePorts ports) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + ports.server(),
                "--server.address=127.0.0.1",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spectra.aws.region=" + LocalAws.REGION.id(),
                "--spectra.aws.endpoints.dynamodb=" + dynamoDb.endpoint(),
                "--spectra.aws.endpoints.s3=" + s3.endpoint(),
                "--spectra.aws.endpoints.redshift-data=" + dataApi.endpoint(),
                "--spectra.aws.s3-path-style=true"));
        if (module.equals(GATEWAY_MODULE)) {
            // The actuator on a port of its own, as in production: the API's port serves none of it.
            arguments.add("--management.server.port=" + ports.management());
            arguments.add("--management.server.address=127.0.0.1");
            arguments.add("--spectra.gateway.auth.issuer=" + LocalTokens.ISSUER);
            arguments.add("--spectra.gateway.auth.audience=" + LocalTokens.AUDIENCE);
        }
        if (module.equals("query-worker")) {
            arguments.add("--spectra.warehouse.cluster-identifier=" + WAREHOUSE_CLUSTER);
            arguments.add("--spectra.warehouse.database=" + LocalWarehouse.DATABASE);
            // Each query worker's share of the emulator's sessions, so that a fleet of two never asks for more
            // than the warehouse allows (as a deployment divides its cluster's limit by the fleet's size).
            arguments.add("--spectra.sessions.max-open=" + SESSIONS_PER_QUERY_WORKER);
            arguments.add("--spectra.scheduling.max-running=" + SESSIONS_PER_QUERY_WORKER);
            // The emulator's UNLOAD checks the ARN's shape only; a deployment names its cluster's own role.
            arguments.add("--spectra.results.unload-iam-role=" + UNLOAD_IAM_ROLE);
        }
        return arguments;
    }

    /**
     * The console (the instance's {@code .log} file) stays for people, with the job, tenant and trace ids in each line;
     * the same lines go as JSON (ECS, as in a deployment's console) to {@code <instance>.jsonl}, for tools and tests.
     */
    private List<String> logArguments(String instance) {
        return List.of(
                "--logging.structured.format.console=",
                "--logging.file.name=" + structuredLogOf(instance),
                "--logging.structured.format.file=ecs");
    }

    /** The instance's log as JSON lines (ECS), beside its console log. */
    public Path structuredLogOf(String instance) {
        return settings.logDirectory().resolve(instance + ".jsonl");
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
