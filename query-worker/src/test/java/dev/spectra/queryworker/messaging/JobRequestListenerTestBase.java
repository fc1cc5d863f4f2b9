package dev.spectra.queryworker.messaging;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.queryworker.config.TopicsProperties;
import dev.spectra.queryworker.testing.FakeWarehouse;
import dev.spectra.queryworker.testing.InMemoryJobStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static dev.spectra.queryworker.testing.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker as it runs, on a real broker, with fakes for the warehouse and the job table. Subclasses
 * provide the broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spectra.warehouse.cluster-identifier=spectra",
        "spectra.aws.region=us-east-1",
        "spectra.statements.poll-interval=20ms"
})
@Import(ListenerTestFakes.class)
abstract class JobRequestListenerTestBase {

    private static final String WORKER_GROUP = "spectra-query-worker";

    @Autowired
    private KafkaTemplate<String, String> kafka;
    @Autowired
    private JsonMapper json;
    @Autowired
    private TopicsProperties topics;
    @Autowired
    private KafkaProperties kafkaProperties;
    @Autowired
    private InMemoryJobStore jobs;
    @Autowired
    private FakeWarehouse warehouse;
    @Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void everyKafkaConsumerMeterNamesItsConsumerGroup() {
        await().untilAsserted(() -> assertThat(meters.find("kafka.consumer.fetch.manager.records.lag.max").gauges())
                .extracting(gauge -> gauge.getId().getTag("group"))
                .contains(WORKER_GROUP)
                .anyMatch(group -> group.startsWith("spectra-query-worker-cancellations-"))
                .doesNotContainNull());
        assertThat(meters.find("kafka.consumer.coordinator.assigned.partitions").gauges())
                .allSatisfy(gauge -> assertThat(gauge.getId().getTag("group")).isNotNull());
    }

    @Test
    void runsRequestedJobAndAnnouncesTheFinishedStatement() {
        Job job = aQueuedJob().submittedAt(Instant.now()).build();
        jobs.put(job);

        kafka.send(topics.queryRequests(), job.tenantId().value(),
                json.writeValueAsString(new JobRequested(job.jobId(), job.tenantId(), job.submittedAt())));

        List<ConsumerRecord<String, String>> results = readUntil(topics.statementResults(),
                received -> received.stream().anyMatch(record -> record.value().contains(job.jobId().value())));
        ConsumerRecord<String, String> result = results.stream()
                .filter(record -> record.value().contains(job.jobId().value())).findFirst().orElseThrow();
        assertThat(result.key()).isEqualTo(job.tenantId().value());
        StatementFinished finished = json.readValue(result.value(), StatementFinished.class);
        assertThat(finished).isEqualTo(new StatementFinished(
                job.jobId(), job.tenantId(), jobs.get(job).statementId(), 3, 30));
        assertThat(jobs.get(job).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(warehouse.executeRequests()).anySatisfy(request -> assertThat(request.sql()).isEqualTo(job.sql()));
    }

    @Test
    void commitsTheRequestOnceItsJobIsClaimedWhileTheStatementStillRuns() throws Exception {
        warehouse.hangNewStatements();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Job job = aQueuedJob().submittedAt(Instant.now()).build();
            jobs.put(job);

            RecordMetadata sent = kafka.send(topics.queryRequests(), job.tenantId().value(),
                    json.writeValueAsString(new JobRequested(job.jobId(), job.tenantId(), job.submittedAt())))
                    .get().getRecordMetadata();
            TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());

            await().until(() -> jobs.get(job).hasStatement());
            await().until(() -> committedOffset(admin, partition) > sent.offset());
            assertThat(jobs.get(job).status()).isEqualTo(JobStatus.RUNNING);
            assertThat(jobs.get(job).lease().owner()).isNotBlank();
            warehouse.finish(jobs.get(job).statementId(), 1);
            await().until(() -> jobs.get(job).status() == JobStatus.DELIVERING);
        } finally {
            warehouse.finishNewStatements();
        }
    }

    @Test
    void aRecordWhoseJobCannotBeLoadedYetShowsAsUnacknowledgedUntilItIsClaimed() {
        Job job = aQueuedJob().submittedAt(Instant.now()).build();
        jobs.put(job);
        // The job table throttles the first loads: the worker retries them itself, holding the record meanwhile.
        jobs.failNextCalls(throttled(), throttled(), throttled());

        kafka.send(topics.queryRequests(), job.tenantId().value(),
                json.writeValueAsString(new JobRequested(job.jobId(), job.tenantId(), job.submittedAt())));

        await().until(() -> meters.get("spectra.requests.unacknowledged").gauge().value() == 1);
        await().until(() -> meters.get("spectra.requests.oldest_unacknowledged").gauge().value() > 0);
        await().until(() -> jobs.get(job).status() == JobStatus.DELIVERING);
        assertThat(meters.get("spectra.requests.unacknowledged").gauge().value()).isZero();
        assertThat(meters.get("spectra.requests.oldest_unacknowledged").gauge().value()).isZero();
    }

    private static RuntimeException throttled() {
        return software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException.builder()
                .message("Rate of requests exceeds the allowed throughput").statusCode(400)
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode("ProvisionedThroughputExceededException").build())
                .build();
    }

    @Test
    void aLongQueryDoesNotHoldBackTheRequestsBehindIt() {
        warehouse.hangNewStatements();
        try {
            Job longOne = aQueuedJob().submittedAt(Instant.now()).build();
            jobs.put(longOne);
            kafka.send(topics.queryRequests(), longOne.tenantId().value(),
                    json.writeValueAsString(new JobRequested(longOne.jobId(), longOne.tenantId(), longOne.submittedAt())));
            await().until(() -> jobs.get(longOne).hasStatement());
            warehouse.finishNewStatements();

            List<Job> behind = java.util.stream.IntStream.range(0, 20).mapToObj(i -> aQueuedJob().submittedAt(Instant.now()).build()).toList();
            for (Job job : behind) {
                jobs.put(job);
                kafka.send(topics.queryRequests(), job.tenantId().value(),
                        json.writeValueAsString(new JobRequested(job.jobId(), job.tenantId(), job.submittedAt())));
            }

            await().until(() -> behind.stream().allMatch(job -> jobs.get(job).status() == JobStatus.DELIVERING));
            assertThat(jobs.get(longOne).status()).isEqualTo(JobStatus.RUNNING);
            warehouse.finish(jobs.get(longOne).statementId(), 1);
        } finally {
            warehouse.finishNewStatements();
        }
    }

    @Test
    void deadLettersAnUnreadableRequestAndKeepsConsuming() {
        String unreadable = "{\"jobId\": \"not-a-job-id\"}";
        kafka.send(topics.queryRequests(), "acme", unreadable);

        readUntil(topics.queryRequests() + ".DLT",
                received -> received.stream().anyMatch(record -> unreadable.equals(record.value())));

        Job job = aQueuedJob().submittedAt(Instant.now()).build();
        jobs.put(job);
        kafka.send(topics.queryRequests(), job.tenantId().value(),
                json.writeValueAsString(new JobRequested(job.jobId(), job.tenantId(), job.submittedAt())));
        await().until(() -> jobs.get(job).status() == JobStatus.DELIVERING);
    }

    /** What the worker's consumer group committed: the next offset it will read after a restart. */
    private long committedOffset(Admin admin, TopicPartition partition) throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(WORKER_GROUP)
                .partitionsToOffsetAndMetadata().get().get(partition);
        return committed == null ? -1 : committed.offset();
    }

    private String bootstrapServers() {
        return String.join(",", kafkaProperties.getBootstrapServers());
    }

    private List<ConsumerRecord<String, String>> readUntil(String topic,
            Predicate<List<ConsumerRecord<String, String>>> complete) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                return complete.test(received);
            });
        }
        return received;
    }
}
