package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.config.TopicProperties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Map;

import static dev.spectra.gateway.support.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

/** The real producer against an in-process KRaft broker: the record key and JSON value are the contract with the workers. */
@EmbeddedKafka(partitions = 1, topics = {KafkaJobQueueTest.REQUESTS, KafkaJobQueueTest.EVENTS})
class KafkaJobQueueTest {

    static final String REQUESTS = "test.query-requests";
    static final String EVENTS = "test.job-events";

    @Test
    void producesJobRequestedAndJobEventAsJsonKeyedByTenant(EmbeddedKafkaBroker broker) {
        DefaultKafkaProducerFactory<String, String> producers = new DefaultKafkaProducerFactory<>(
                KafkaTestUtils.producerProps(broker), new StringSerializer(), new StringSerializer());
        KafkaTemplate<String, String> kafka = new KafkaTemplate<>(producers);
        KafkaJobQueue queue = new KafkaJobQueue(kafka, JsonMapper.builder().build(), new TopicProperties(REQUESTS, EVENTS, "audit"),
                Schedulers.boundedElastic());
        Job job = aQueuedJob().forTenant(TenantId.of("acme")).queued();

        try (Consumer<String, String> consumer = consumer(broker)) {
            broker.consumeFromEmbeddedTopics(consumer, REQUESTS, EVENTS);

            queue.request(new JobRequested(job.jobId(), job.tenantId(), job.submittedAt())).block(Duration.ofSeconds(30));
            queue.publish(JobEvent.of(job)).block(Duration.ofSeconds(30));

            ConsumerRecord<String, String> requested = KafkaTestUtils.getSingleRecord(consumer, REQUESTS, Duration.ofSeconds(30));
            assertThat(requested.key()).isEqualTo("acme");
            assertThat(requested.value()).isEqualTo("""
                    {"schemaVersion":1,"jobId":"%s","tenantId":"acme","submittedAt":"2026-03-01T10:00:00Z"}"""
                    .formatted(job.jobId()));

            ConsumerRecord<String, String> event = KafkaTestUtils.getSingleRecord(consumer, EVENTS, Duration.ofSeconds(30));
            assertThat(event.key()).isEqualTo("acme");
            assertThat(event.value()).contains("\"status\":\"QUEUED\"", "\"jobId\":\"" + job.jobId() + "\"");
        } finally {
            producers.destroy();
        }
    }

    private static Consumer<String, String> consumer(EmbeddedKafkaBroker broker) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "gateway-test", false);
        props.put("auto.offset.reset", "earliest");
        return new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new StringDeserializer()).createConsumer();
    }
}
