package dev.spectra.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Kafka cluster of separate processes on loopback, one JVM per node, so that a test can SIGKILL one broker
 * and start it again with its log directory kept. Every node is broker and controller at once (KRaft combined
 * mode): three nodes keep a controller quorum with one of them down.
 *
 * <p>Replicated as a production cluster is: every topic, the internal ones included, has one replica per
 * node (at most three), and a write needs two in-sync replicas ({@code min.insync.replicas}), so with
 * {@code acks=all} producers one broker can die without losing an acknowledged record or refusing writes.
 */
final class KafkaBrokerProcesses implements LocalKafka {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcesses.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8",
            "-Dlogback.configurationFile=kafka-node-logback.xml");

    private final List<Node> nodes;
    private final Path directory;
    private final Path logDirectory;
    private final String clusterId = Uuid.randomUuid().toString();
    private final ChildProcess[] processes;
    private final Admin admin;

    /** One node's identity: its id (1-based), client port and controller port, fixed for restarts. */
    private record Node(int id, int port, int controllerPort) {
    }

    private KafkaBrokerProcesses(List<Node> nodes, Path directory, Path logDirectory) {
        this.nodes = nodes;
        this.directory = directory;
        this.logDirectory = logDirectory;
        this.processes = new ChildProcess[nodes.size()];
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        this.admin = Admin.create(properties);
    }

    /** Starts {@code count} nodes in parallel, waits until each is a live broker, then creates the topics. */
    static KafkaBrokerProcesses start(int count, Path directory, Path logDirectory) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        List<Node> nodes = IntStream.rangeClosed(1, count).mapToObj(id -> new Node(id, FreePorts.next(), FreePorts.next())).toList();
        KafkaBrokerProcesses cluster = new KafkaBrokerProcesses(nodes, directory, logDirectory);
        try {
            nodes.forEach(cluster::writeServerProperties);
            List<CompletableFuture<Void>> started = nodes.stream()
                    .map(node -> CompletableFuture.runAsync(() -> cluster.launch(node)))
                    .toList();
            started.forEach(CompletableFuture::join);
            cluster.createTopics();
            log.info("Kafka: {} broker processes on {}", count, cluster.bootstrapServers());
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public String bootstrapServers() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    int brokers() {
        return nodes.size();
    }

    /** SIGKILL of broker {@code id} (1-based): no controlled shutdown, its partitions' leadership moves when it is fenced. */
    void kill(int id) {
        process(id).kill();
    }

    /** Starts broker {@code id} again on its ports and log directory, and waits until it is a live broker. */
    void restart(int id) {
        launch(nodes.get(index(id)));
    }

    /** Waits until every partition of every topic has all its replicas in sync again, e.g. after a restart. */
    void awaitFullyReplicated(Duration timeout) {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < giveUp) {
            if (underReplicatedPartitions() == 0) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("partitions still under-replicated after " + timeout.toSeconds() + " s");
    }

    private long underReplicatedPartitions() {
        try {
            Map<String, TopicDescription> topics = admin.describeTopics(TOPICS).allTopicNames().get(10, TimeUnit.SECONDS);
            return topics.values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .filter(partition -> partition.isr().size() < partition.replicas().size())
                    .count();
        } catch (ExecutionException | TimeoutException e) {
            return Long.MAX_VALUE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void launch(Node node) {
        Path properties = nodeDirectory(node).resolve("server.properties");
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(JVM_OPTIONS);
        if (Runtime.version().feature() >= 23) {
            // Kafka still uses sun.misc.Unsafe's memory access, which JDK 23+ warns about on every start.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", classPath(), KafkaNode.class.getName(),
                properties.toString(), clusterId, dataDirectory(node).toString()));
        String name = "kafka-" + node.id();
        ChildProcess process = ChildProcess.start(name, command, Map.of(), logDirectory.resolve(name + ".log"));
        synchronized (processes) {
            processes[index(node.id())] = process;
        }
        process.awaitReady(() -> isLiveBroker(node.id()), START_TIMEOUT);
    }

    /** Registered with the controllers and not fenced: the cluster's metadata lists it. */
    private boolean isLiveBroker(int id) {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().anyMatch(node -> node.id() == id);
        } catch (ExecutionException | TimeoutException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void createTopics() {
        short replicas = (short) Math.min(3, nodes.size());
        Map<String, String> config = Map.of("min.insync.replicas", Integer.toString(minInSyncReplicas()));
        List<NewTopic> topics = TOPICS.stream().map(topic -> new NewTopic(topic, PARTITIONS, replicas).configs(config)).toList();
        try {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the topics " + TOPICS, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private int minInSyncReplicas() {
        return Math.min(2, nodes.size());
    }

    private void writeServerProperties(Node node) {
        int replicas = Math.min(3, nodes.size());
        String voters = nodes.stream().map(n -> n.id() + "@127.0.0.1:" + n.controllerPort()).collect(Collectors.joining(","));
        List<String> lines = List.of(
                "process.roles=broker,controller",
                "node.id=" + node.id(),
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:" + node.port() + ",CONTROLLER://127.0.0.1:" + node.controllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + node.port(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDirectory(node),
                // As on a managed cluster: a topic nobody provisioned is an error, not a surprise new topic.
                "auto.create.topics.enable=false",
                "num.partitions=" + PARTITIONS,
                "default.replication.factor=" + replicas,
                "min.insync.replicas=" + minInSyncReplicas(),
                "unclean.leader.election.enable=false",
                "offsets.topic.replication.factor=" + replicas,
                "offsets.topic.num.partitions=" + PARTITIONS,
                "transaction.state.log.replication.factor=" + replicas,
                "transaction.state.log.min.isr=" + minInSyncReplicas(),
                "transaction.state.log.num.partitions=" + PARTITIONS,
                "share.coordinator.state.topic.replication.factor=" + replicas,
                "share.coordinator.state.topic.min.isr=" + minInSyncReplicas(),
                // A handful of consumers: waiting 3 s for more members to join only delays the first job.
                "group.initial.rebalance.delay.ms=0",
                // A killed broker is fenced, and its partitions get new leaders, after 6 s instead of 9 s.
                "broker.session.timeout.ms=6000",
                "broker.heartbeat.interval.ms=1000",
                // Small machines: fewer threads, and a log cleaner that fits a small heap.
                "num.network.threads=2",
                "num.io.threads=4",
                "background.threads=4",
                "num.replica.fetchers=1",
                "log.cleaner.dedupe.buffer.size=8388608");
        try {
            Files.createDirectories(dataDirectory(node));
            Files.write(nodeDirectory(node).resolve("server.properties"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path nodeDirectory(Node node) {
        return directory.resolve("node-" + node.id());
    }

    private Path dataDirectory(Node node) {
        return nodeDirectory(node).resolve("data");
    }

    private ChildProcess process(int id) {
        synchronized (processes) {
            return processes[index(id)];
        }
    }

    private int index(int id) {
        if (id < 1 || id > nodes.size()) {
            throw new IllegalArgumentException("no broker " + id + "; brokers are 1.." + nodes.size());
        }
        return id - 1;
    }

    /**
     * The class path this JVM runs with: the local-stack module and its dependencies (a test's or the bench's
     * plain class path; a Maven test fork's manifest-only jar works too). Not inside the launcher's
     * executable jar, whose libraries are nested: {@code ./spectra local} keeps the in-process broker.
     */
    private static String classPath() {
        String classPath = System.getProperty("java.class.path");
        try {
            Class.forName("kafka.Kafka", false, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Kafka's classes are not on this JVM's class path (" + classPath
                    + "), so broker processes cannot start; run with the plain class path (tests, bench/run)");
        }
        return classPath;
    }

    private static void pause() {
        try {
            Thread.sleep(250); // polling interval, not a correctness wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the brokers all at once: one at a time, each would wait for the others to take over its partitions. */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
        List<ChildProcess> running;
        synchronized (processes) {
            running = Arrays.stream(processes).filter(Objects::nonNull).toList();
        }
        running.parallelStream().forEach(ChildProcess::close);
    }
}
