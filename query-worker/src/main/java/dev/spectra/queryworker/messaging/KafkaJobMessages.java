package dev.spectra.queryworker.messaging;

import dev.spectra.common.job.Job;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.queryworker.config.TopicsProperties;
import dev.spectra.queryworker.execution.JobMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import tools.jackson.databind.json.JsonMapper;

import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/** JSON strings keyed by tenant id, so that a tenant's messages keep their order. */
public class KafkaJobMessages implements JobMessages {

    private static final Logger log = LoggerFactory.getLogger(KafkaJobMessages.class);

    private final KafkaOperations<String, String> kafka;
    private final JsonMapper json;
    private final TopicsProperties topics;

    public KafkaJobMessages(KafkaOperations<String, String> kafka, JsonMapper json, TopicsProperties topics) {
        this.kafka = requireNonNull(kafka, "kafka is null");
        this.json = requireNonNull(json, "json is null");
        this.topics = requireNonNull(topics, "topics is null");
    }

    @Override
    public CompletableFuture<Void> statementFinished(StatementFinished message) {
        return send(topics.statementResults(), message.tenantId().value(), message);
    }

    @Override
    public void jobChanged(Job job) {
        JobEvent event = JobEvent.of(job);
        send(topics.jobEvents(), job.tenantId().value(), event).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn("could not publish job event {} for job {}", event.status(), job.jobId(), failure);
            }
        });
    }

    private CompletableFuture<Void> send(String topic, String key, Object message) {
        try {
            return kafka.send(topic, key, json.writeValueAsString(message)).thenApply(sent -> null);
        } catch (RuntimeException e) {
            // send() throws rather than failing the future when, for example, metadata cannot be fetched in time.
            return CompletableFuture.failedFuture(e);
        }
    }
}
