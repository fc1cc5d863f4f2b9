package dev.spectra.local;

import dev.spectra.common.messaging.Topics;
import dev.spectra.local.BounceJobs.Job;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.spectra.local.BounceJobs.pause;
import static dev.spectra.local.GatewayClient.Answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka as three broker processes, replicated as in production, and a hard broker bounce under load: the
 * broker leading acme's partition of the request topic is killed with SIGKILL and started again a few seconds
 * later. Every accepted job ends once, SUCCEEDED, its SQL run once; a submission the gateway refused (503
 * while the partition had no leader) tells the truth: its job is FAILED and its SQL never ran.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaBrokerBounceIT {

    private static final int JOBS = 30;
    private static final Duration DOWN_FOR = Duration.ofSeconds(8);
    /** Numbered apart from the other bounce tests' jobs, whose SQL would otherwise be the same. */
    private static final int FIRST_JOB = 2000;

    private LocalStack stack;
    private BounceJobs jobs;
    private Admin admin;

    @BeforeAll
    void startOnThreeBrokers() {
        Path root = TestRepository.root();
        stack = LocalStack.start(new LocalStackSettings(root, root.resolve("local-stack/target/broker-bounce-stack"), FreePorts.next())
                .withKafkaBrokers(3));
        jobs = new BounceJobs(stack);
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        admin = Admin.create(properties);
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyTopicIsOnThreeBrokersAndAWriteNeedsTwoOfThem() throws Exception {
        assertThat(stack.kafkaBootstrapServers().split(",")).hasSize(3);
        // The consumer groups' offsets topic appears with the services' groups.
        List<String> topics = Stream.concat(LocalKafka.TOPICS.stream(), Stream.of("__consumer_offsets")).toList();
        Map<String, TopicDescription> described = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS), all -> all.size() == topics.size());
        assertThat(described.values()).allSatisfy(topic ->
                assertThat(topic.partitions()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3)));
        ConfigResource requests = new ConfigResource(ConfigResource.Type.TOPIC, Topics.QUERY_REQUESTS);
        Config config = admin.describeConfigs(List.of(requests)).all().get(10, TimeUnit.SECONDS).get(requests);
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
    }

    @Test
    void acceptedJobsEndOnceAndRefusedOnesNeverRunWhileABrokerIsKilledAndRestarted() throws Exception {
        List<Job> accepted = new CopyOnWriteArrayList<>();
        List<Job> refused = new CopyOnWriteArrayList<>();
        ExecutorService client = Executors.newSingleThreadExecutor();
        // One job every 500 ms, before, during and after the bounce.
        Future<?> submissions = client.submit(() -> {
            for (int i = 0; i < JOBS; i++) {
                int number = FIRST_JOB + i;
                Answer answer = jobs.trySubmit(number);
                Job job = new Job(number, BounceJobs.tenantOf(number), answer.text("job_id"), BounceJobs.sqlOf(number));
                if (answer.status() == 202) {
                    accepted.add(job);
                } else {
                    assertThat(answer.status()).as("submission %d: %s", number, answer.body()).isEqualTo(503);
                    refused.add(job);
                }
                pause(Duration.ofMillis(500));
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 6);
        int victim = leaderOfTenantsPartition("acme");
        stack.killBroker(victim);
        pause(DOWN_FOR); // the outage's length, not a wait for an outcome
        stack.restartBroker(victim);
        submissions.get();
        client.shutdown();
        stack.awaitKafkaFullyReplicated(Duration.ofSeconds(60));

        assertThat(jobs.awaitEnded(accepted, Duration.ofMinutes(3)).values()).as("every accepted job's ending").containsOnly("SUCCEEDED");
        jobs.assertEachRanOnceWithItsOwnResult(accepted);
        for (Job job : refused) {
            assertThat(jobs.status(job.tenant(), job.jobId())).as("refused job %s", job.jobId()).isEqualTo("FAILED");
            assertThat(stack.warehouseExecutionsOf(job.sql())).as("runs of refused job %s", job.jobId()).isZero();
        }
        System.out.printf("broker bounce: broker %d of 3 killed for %d s under load; %d jobs accepted, all SUCCEEDED, each SQL once,"
                + " one terminal event each; %d refused with 503 (FAILED, never run)%n", victim, DOWN_FOR.toSeconds(), accepted.size(), refused.size());
    }

    /** The broker that leads the request topic's partition for the tenant's key (the producer's default partitioner). */
    private int leaderOfTenantsPartition(String tenant) throws Exception {
        int partition = Utils.toPositive(Utils.murmur2(tenant.getBytes(StandardCharsets.UTF_8))) % LocalKafka.PARTITIONS;
        TopicDescription requests = admin.describeTopics(List.of(Topics.QUERY_REQUESTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(Topics.QUERY_REQUESTS);
        return requests.partitions().get(partition).leader().id();
    }
}
