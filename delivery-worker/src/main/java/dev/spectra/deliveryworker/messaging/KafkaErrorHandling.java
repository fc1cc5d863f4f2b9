package dev.spectra.deliveryworker.messaging;

import dev.spectra.deliveryworker.config.DeliveryProperties;
import dev.spectra.deliveryworker.delivery.DeliveryDeferredException;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;

import java.util.random.RandomGenerator;

/**
 * The listener's one error handler. Failures of a delivery are stored on the job, so what reaches this
 * handler is either a message that cannot be read (straight to {@code <topic>.DLT}) or a
 * {@link DeliveryDeferredException} (redelivered with the delivery's retry backoff, the same one every
 * call uses, then dead-lettered).
 */
@Configuration(proxyBeanMethods = false)
public class KafkaErrorHandling {

    /** Appended to the source topic. Spelled out: spring-kafka 4 defaults to {@code -dlt}, the platform provisions {@code .DLT}. */
    public static final String DEAD_LETTER_SUFFIX = ".DLT";

    @Bean
    public DefaultErrorHandler errorHandler(KafkaOperations<Object, Object> kafka, DeliveryProperties delivery, RandomGenerator jitter) {
        DeliveryProperties.Retry retry = delivery.retry();
        RedeliveryBackOff backOff = new RedeliveryBackOff(retry.backoff(), retry.maxAttempts(), jitter);
        // Same partition as the failed record: the dead-letter topic needs at least as many partitions.
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, exception) -> new TopicPartition(record.topic() + DEAD_LETTER_SUFFIX, record.partition()));
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, backOff);
        // Retrying anything else would only repeat the same answer: unreadable JSON stays unreadable.
        handler.defaultFalse();
        handler.addRetryableExceptions(DeliveryDeferredException.class);
        return handler;
    }
}
