package dev.spectra.gateway.config;

import dev.spectra.common.messaging.Topics;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka topic names the gateway produces to ({@code spectra.topics.*}); the platform provisions the topics.
 *
 * @param queryRequests {@code JobRequested}, keyed by tenant id, default {@value Topics#QUERY_REQUESTS}
 * @param jobEvents     {@code JobEvent}, keyed by tenant id, default {@value Topics#JOB_EVENTS}
 * @param audit         {@code AuditRecord}, keyed by tenant id, default {@value Topics#AUDIT}
 */
@Validated
@ConfigurationProperties("spectra.topics")
public record TopicProperties(
        @NotBlank @DefaultValue(Topics.QUERY_REQUESTS) String queryRequests,
        @NotBlank @DefaultValue(Topics.JOB_EVENTS) String jobEvents,
        @NotBlank @DefaultValue(Topics.AUDIT) String audit) {
}
