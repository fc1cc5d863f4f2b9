package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobStore;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.common.messaging.Topics;
import dev.spectra.deliveryworker.delivery.FakeStatementResults;
import dev.spectra.deliveryworker.delivery.StatementResults;
import dev.spectra.deliveryworker.jobs.FakeJobStore;
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
        return new FakeStatementResults();
    }

    @Test
    void deliversFinishedStatementAndPublishesJobEvent() {
        FakeJobStore jobs = (FakeJobStore) jobStore;
        Job job = jobs.save(aDeliveringJob().build());
        ((FakeStatementResults) statementResults).add(job.statementId(),
                List.of(column("region", "varchar"), column("orders", "int8")),
                page(row(Field.fromStringValue("EU"), Field.fromLongValue(12L))));

        try (Consumer<String, String> events = consumer(Topics.JOB_EVENTS)) {
            kafka.send(Topics.STATEMENT_RESULTS, job.tenantId().value(),
                    json.writeValueAsString(new StatementFinished(job.jobId(), job.tenantId(), job.statementId(), 1, 64)));

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(jobs.stored(job).status()).isEqualTo(JobStatus.SUCCEEDED));
            assertThat(jobs.stored(job).resultJson()).isEqualTo(
                    "{\"columns\":[{\"name\":\"region\",\"type\":\"varchar\"},{\"name\":\"orders\",\"type\":\"int8\"}],"
                            + "\"rows\":[[\"EU\",12]],\"row_count\":1}");

            ConsumerRecord<String, String> published = KafkaTestUtils.getSingleRecord(events, Topics.JOB_EVENTS, PATIENCE);
            assertThat(published.key()).isEqualTo(job.tenantId().value());
            assertThat(json.readValue(published.value(), JobEvent.class)).isEqualTo(JobEvent.of(jobs.stored(job)));
        }
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
