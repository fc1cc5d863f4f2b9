package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.audit.AuditPublisher;
import dev.spectra.deliveryworker.config.TopicsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    /** Audit records of the jobs this worker ends, to {@code spectra.topics.audit} keyed by tenant, and to the {@code spectra.audit} logger. */
    @Bean
    AuditPublisher auditTrail(KafkaTemplate<String, String> kafka, JsonMapper json, TopicsProperties topics, MeterRegistry meters) {
        return new AuditPublisher(json::writeValueAsString, (key, value) -> kafka.send(topics.audit(), key, value),
                AuditPublisher.boundedSender(AuditPublisher.DEFAULT_QUEUE_CAPACITY),
                outcome -> meters.counter("spectra.audit.published", "outcome", outcome).increment());
    }
}
