package dev.spectra.gateway.audit;

import dev.spectra.common.audit.AuditPublisher;
import dev.spectra.common.audit.AuditTrail;
import dev.spectra.gateway.config.TopicProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    /** Audit records to {@code spectra.topics.audit}, keyed by tenant, and to the {@code spectra.audit} logger. */
    @Bean
    AuditPublisher auditTrail(KafkaTemplate<String, String> kafka, JsonMapper json, TopicProperties topics, MeterRegistry meters) {
        return new AuditPublisher(json::writeValueAsString, (key, value) -> kafka.send(topics.audit(), key, value),
                AuditPublisher.boundedSender(AuditPublisher.DEFAULT_QUEUE_CAPACITY),
                outcome -> meters.counter("spectra.audit.published", "outcome", outcome).increment());
    }

    @Bean
    GatewayAudit gatewayAudit(AuditTrail trail, Clock clock, AuditProperties properties) {
        return new GatewayAudit(trail, clock, properties);
    }

    @Bean
    AuditFilter auditFilter(GatewayAudit audit) {
        return new AuditFilter(audit);
    }

    @Bean
    AuditActorFilter auditActorFilter() {
        return new AuditActorFilter();
    }
}
