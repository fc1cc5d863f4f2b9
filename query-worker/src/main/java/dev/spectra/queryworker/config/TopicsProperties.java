package dev.spectra.queryworker.config;

import dev.spectra.common.messaging.Topics;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka topics, provisioned by the platform (never created by a service). Records this worker cannot
 * read go to {@code <query-requests>.DLT}, which must be provisioned too.
 */
@Validated
@ConfigurationProperties("spectra.topics")
public record TopicsProperties(
        @NotBlank @DefaultValue(Topics.QUERY_REQUESTS) String queryRequests,
        @NotBlank @DefaultValue(Topics.STATEMENT_RESULTS) String statementResults,
        @NotBlank @DefaultValue(Topics.JOB_EVENTS) String jobEvents,
        @NotBlank @DefaultValue(Topics.AUDIT) String audit) {
}
