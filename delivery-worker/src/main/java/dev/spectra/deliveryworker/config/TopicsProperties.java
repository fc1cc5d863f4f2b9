package dev.spectra.deliveryworker.config;

import dev.spectra.common.messaging.Topics;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka topics, provisioned by the platform. Dead letters go to {@code <statementResults>.DLT}, which
 * needs at least as many partitions as the source topic.
 *
 * @param statementResults consumed: statements that finished and whose jobs are DELIVERING
 * @param jobEvents        produced: a JobEvent after every stored transition
 * @param audit            produced: an AuditRecord for every job this worker ends
 */
@ConfigurationProperties("spectra.topics")
@Validated
public record TopicsProperties(
        @DefaultValue(Topics.STATEMENT_RESULTS) @NotBlank String statementResults,
        @DefaultValue(Topics.JOB_EVENTS) @NotBlank String jobEvents,
        @DefaultValue(Topics.AUDIT) @NotBlank String audit) {}
