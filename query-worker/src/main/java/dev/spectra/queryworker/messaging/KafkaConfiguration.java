package dev.spectra.queryworker.messaging;

import dev.spectra.common.audit.AuditPublisher;
import dev.spectra.queryworker.config.LeasesProperties;
import dev.spectra.queryworker.config.TopicsProperties;
import dev.spectra.queryworker.execution.JobMessages;
import dev.spectra.queryworker.execution.JobPerformer;
import dev.spectra.queryworker.execution.JobThreads;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.Properties;

/**
 * The request listener container.
 *
 * <p><b>Acknowledging out of order.</b> A job's record is acknowledged by the job's own thread as soon as
 * the job is claimed (a few milliseconds), in whatever order jobs get there. With {@code AckMode.MANUAL}
 * and {@code asyncAcks} the container accepts acknowledgements from any thread in any order and commits an
 * offset once every record before it is acknowledged. It pauses the consumer only while the records of the
 * previous poll are still being claimed, which no longer depends on how long any query runs: a long query
 * holds its lease, not its record.
 *
 * <p><b>Dead letters.</b> The listener only throws for records it cannot read; those cannot succeed on
 * retry and go straight to {@code <topic>.DLT}, partition chosen by the producer, so the dead-letter topic
 * need not mirror the request topic's partitions.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfiguration.class);

    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> kafkaListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumerFactory,
            CommonErrorHandler errorHandler) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumerFactory);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        factory.getContainerProperties().setAsyncAcks(true);
        factory.setCommonErrorHandler(errorHandler);
        return factory;
    }

    @Bean
    CommonErrorHandler kafkaErrorHandler(KafkaTemplate<Object, Object> kafkaTemplate) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafkaTemplate,
                (record, failure) -> new TopicPartition(record.topic() + ".DLT", -1));
        return new DefaultErrorHandler((record, failure) -> {
            log.warn("moving record {}-{}@{} to the dead letters: {}", record.topic(), record.partition(), record.offset(),
                    rootMessage(failure));
            deadLetters.accept(record, failure);
        }, new FixedBackOff(0L, 0L));
    }

    /** The listener's own explanation, without the container's wrapping. */
    private static String rootMessage(Exception failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof UnreadableMessageException)) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    /**
     * The job events, read by this worker alone (a group named after its worker id), from the newest: it only needs
     * cancellations of jobs it runs now. Offsets are committed as they go; no record is ever retried.
     */
    @Bean
    ConcurrentMessageListenerContainer<String, String> cancellationListenerContainer(ConsumerFactory<String, String> consumerFactory,
            TopicsProperties topics, LeasesProperties leases, JobPerformer performer, JsonMapper json) {
        ContainerProperties properties = new ContainerProperties(topics.jobEvents());
        properties.setGroupId("spectra-query-worker-cancellations-" + leases.workerId());
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setMessageListener(new CancellationListener(performer, json));
        Properties consumer = new Properties();
        consumer.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        properties.setKafkaConsumerProperties(consumer);
        ConcurrentMessageListenerContainer<String, String> container = new ConcurrentMessageListenerContainer<>(consumerFactory, properties);
        container.setBeanName("job-cancellations");
        return container;
    }

    /** Audit records of the jobs this worker ends, to {@code spectra.topics.audit} keyed by tenant, and to the {@code spectra.audit} logger. */
    @Bean
    AuditPublisher auditTrail(KafkaTemplate<String, String> kafkaTemplate, JsonMapper json, TopicsProperties topics, MeterRegistry meters) {
        return new AuditPublisher(json::writeValueAsString, (key, value) -> kafkaTemplate.send(topics.audit(), key, value),
                AuditPublisher.boundedSender(AuditPublisher.DEFAULT_QUEUE_CAPACITY),
                outcome -> meters.counter("spectra.audit.published", "outcome", outcome).increment());
    }

    @Bean
    JobMessages jobMessages(KafkaTemplate<String, String> kafkaTemplate, JsonMapper json, TopicsProperties topics) {
        return new KafkaJobMessages(kafkaTemplate, json, topics);
    }

    @Bean
    JobRequestListener jobRequestListener(JobPerformer performer, JobThreads threads, JsonMapper json, Clock clock,
            MeterRegistry meters) {
        return new JobRequestListener(performer, threads, json, clock, meters);
    }
}
