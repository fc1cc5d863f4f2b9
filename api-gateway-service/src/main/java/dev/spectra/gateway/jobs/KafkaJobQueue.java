package dev.spectra.gateway.jobs;

import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.gateway.config.TopicProperties;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;

import static java.util.Objects.requireNonNull;

/**
 * The job queue on Kafka: JSON values, keyed by tenant id so that a tenant's jobs reach the worker
 * that holds its warm warehouse sessions.
 *
 * <p>{@code KafkaProducer.send} can block its caller (up to {@code max.block.ms}) while it fetches
 * metadata or waits for buffer space, so it is called on {@code sendScheduler}, a scheduler for
 * blocking work, never on an event loop. Acknowledgements arrive on the producer's network thread,
 * which must not run anything else, so they are handed over to {@code sendScheduler} too.
 */
public final class KafkaJobQueue implements JobQueue {

    private static final ContextSnapshotFactory CONTEXT = ContextSnapshotFactory.builder().build();

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper jsonMapper;
    private final TopicProperties topics;
    private final Scheduler sendScheduler;

    public KafkaJobQueue(KafkaTemplate<String, String> kafka, JsonMapper jsonMapper, TopicProperties topics,
                         Scheduler sendScheduler) {
        this.kafka = requireNonNull(kafka, "kafka is null");
        this.jsonMapper = requireNonNull(jsonMapper, "jsonMapper is null");
        this.topics = requireNonNull(topics, "topics is null");
        this.sendScheduler = requireNonNull(sendScheduler, "sendScheduler is null");
    }

    @Override
    public Mono<Void> request(JobRequested request) {
        return send(topics.queryRequests(), request.tenantId().value(), request);
    }

    @Override
    public Mono<Void> publish(JobEvent event) {
        return send(topics.jobEvents(), event.tenantId().value(), event);
    }

    /**
     * The send runs with the request's trace context as its thread's own, so that the record carries the request's
     * {@code traceparent} header: one trace from the submission through the workers.
     */
    private Mono<Void> send(String topic, String key, Object message) {
        return Mono.deferContextual(context -> Mono.fromFuture(() -> {
                    try (ContextSnapshot.Scope scope = CONTEXT.setThreadLocalsFrom(context)) {
                        return kafka.send(topic, key, jsonMapper.writeValueAsString(message));
                    }
                }))
                .subscribeOn(sendScheduler)
                .publishOn(sendScheduler)
                .then();
    }
}
