package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobStore;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.common.messaging.Topics;
import dev.spectra.deliveryworker.delivery.FakeStatementResults;
import dev.spectra.deliveryworker.delivery.StatementResults;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.deliveryworker.jobs.FakeJobStore;
import dev.spectra.deliveryworker.result.FakeResultStore;
import dev.spectra.deliveryworker.result.ResultStore;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.bean.override.convention.TestBean;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.spectra.deliveryworker.delivery.FakeStatementResults.column;
import static dev.spectra.deliveryworker.delivery.FakeStatementResults.page;
import static dev.spectra.deliveryworker.delivery.FakeStatementResults.row;
import static dev.spectra.deliveryworker.jobs.JobFixture.aDeliveringJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The worker as deployed, on a real (embedded KRaft) broker, with fakes only at the AWS boundary. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
                "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "spectra.aws.region=us-east-1",
                "spectra.delivery.retry.initial-backoff=10ms",
                "spectra.delivery.retry.max-backoff=20ms"})
@EmbeddedKafka(partitions = 1, topics = {Topics.STATEMENT_RESULTS, StatementFinishedListenerTest.DEAD_LETTERS, Topics.JOB_EVENTS})
class StatementFinishedListenerTest {

    static final String DEAD_LETTERS = Topics.STATEMENT_RESULTS + KafkaErrorHandling.DEAD_LETTER_SUFFIX;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TestBean
    JobStore jobStore;

    @TestBean
    StatementResults statementResults;

    @TestBean
    ResultStore resultStore;

    /** Pages of statements named "held-..." wait until this opens: a delivery that pages for as long as a test wants. */
    static final CountDownLatch HELD_PAGES = new CountDownLatch(1);

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    JsonMapper json;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    static JobStore jobStore() {
        return new FakeJobStore();
    }

    static StatementResults statementResults() {
        FakeStatementResults results = new FakeStatementResults();
        return new StatementResults() {
            @Override
            public GetStatementResultResponse page(String statementId, String nextToken) {
                if (statementId.startsWith("held-")) {
                    try {
                        HELD_PAGES.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                return results.page(statementId, nextToken);
            }

            @Override
            public String toString() {
                return "held";
            }

            FakeStatementResults fake() {
                return results;
            }
        };
    }

    static ResultStore resultStore() {
        return new FakeResultStore();
    }

    private FakeStatementResults results() {
        try {
            var fake = statementResults.getClass().getDeclaredMethod("fake");
            fake.setAccessible(true);
            return (FakeStatementResults) fake.invoke(statementResults);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deliversFinishedStatementAndPublishesJobEvent() {
        FakeJobStore jobs = (FakeJobStore) jobStore;
        Job job = jobs.save(aDeliveringJob().build());
        results().add(job.statementId(),
                List.of(column("region", "varchar"), column("orders", "int8")),
                page(row(Field.fromStringValue("EU"), Field.fromLongValue(12L))));

        try (Consumer<String, String> events = consumer(Topics.JOB_EVENTS)) {
            kafka.send(Topics.STATEMENT_RESULTS, job.tenantId().value(),
                    json.writeValueAsString(new StatementFinished(job.jobId(), job.tenantId(), job.statementId(), 1, 64)));

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(jobs.stored(job).status()).isEqualTo(JobStatus.SUCCEEDED));
            assertThat(jobs.stored(job).resultJson()).isEqualTo(
                    "{\"columns\":[{\"name\":\"region\",\"type\":\"varchar\"},{\"name\":\"orders\",\"type\":\"int8\"}],"
                            + "\"rows\":[[\"EU\",12]],\"row_count\":1}");

            // Other tests' jobs publish on the same topic: this job's event is the one that names it.
            List<ConsumerRecord<String, String>> published = new java.util.ArrayList<>();
            await().atMost(PATIENCE).untilAsserted(() -> {
                KafkaTestUtils.getRecords(events, Duration.ofMillis(200)).forEach(record -> {
                    if (json.readValue(record.value(), JobEvent.class).jobId().equals(job.jobId())) {
                        published.add(record);
                    }
                });
                assertThat(published).hasSize(1);
            });
            assertThat(published.getFirst().key()).isEqualTo(job.tenantId().value());
            assertThat(json.readValue(published.getFirst().value(), JobEvent.class)).isEqualTo(JobEvent.of(jobs.stored(job)));
        }
    }

    @Test
    void aTenantsDeliveryThatPagesForLongNeverHoldsUpAnotherTenantsRecordOnTheSamePartition() {
        FakeJobStore jobs = (FakeJobStore) jobStore;
        Job slow = jobs.save(aDeliveringJob().withStatement("held-acme").build());
        Job quick = jobs.save(aDeliveringJob().forTenant(TenantId.of("globex")).build());
        results().add(slow.statementId(), List.of(column("n", "int8")), page(row(Field.fromLongValue(1L))));
        results().add(quick.statementId(), List.of(column("n", "int8")), page(row(Field.fromLongValue(2L))));
        try {
            // One partition: the quick record comes after the slow one, as records of two tenants may.
            kafka.send(Topics.STATEMENT_RESULTS, "k", json.writeValueAsString(new StatementFinished(slow.jobId(), slow.tenantId(), slow.statementId(), 1, 8)));
            kafka.send(Topics.STATEMENT_RESULTS, "k", json.writeValueAsString(new StatementFinished(quick.jobId(), quick.tenantId(), quick.statementId(), 1, 8)));

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(jobs.stored(quick).status()).isEqualTo(JobStatus.SUCCEEDED));
            assertThat(jobs.stored(slow).status()).isEqualTo(JobStatus.DELIVERING);
            assertThat(jobs.stored(slow).isBeingDelivered(java.time.Instant.now())).as("leased by its delivery").isTrue();
        } finally {
            HELD_PAGES.countDown();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jobs.stored(slow).status()).isEqualTo(JobStatus.SUCCEEDED));
    }

    @Test
    void sendsUnreadableMessageToDeadLetterTopic() {
        try (Consumer<String, String> deadLetters = consumer(DEAD_LETTERS)) {
            kafka.send(Topics.STATEMENT_RESULTS, "acme", "{\"jobId\": not json");

            ConsumerRecord<String, String> deadLetter = KafkaTestUtils.getSingleRecord(deadLetters, DEAD_LETTERS, PATIENCE);
            assertThat(deadLetter.value()).isEqualTo("{\"jobId\": not json");
            assertThat(deadLetter.key()).isEqualTo("acme");
        }
    }

    @Test
    void acknowledgesEachRecordOnlyAfterItWasHandled() {
        var container = listeners.getListenerContainer(StatementFinishedListener.CONSUMER_GROUP);

        assertThat(container.getGroupId()).isEqualTo("spectra-delivery-worker");
        assertThat(container.getContainerProperties().getAckMode()).isEqualTo(ContainerProperties.AckMode.RECORD);
    }

    private Consumer<String, String> consumer(String topic) {
        var properties = KafkaTestUtils.consumerProps(broker, "test-" + UUID.randomUUID(), false);
        Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(properties, new StringDeserializer(), new StringDeserializer())
                .createConsumer();
        broker.consumeFromAnEmbeddedTopic(consumer, topic);
        return consumer;
    }
}
