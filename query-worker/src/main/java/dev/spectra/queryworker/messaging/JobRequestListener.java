package dev.spectra.queryworker.messaging;

import dev.spectra.common.job.JobTable.JobKey;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.common.messaging.Topics;
import dev.spectra.queryworker.execution.JobPerformer;
import dev.spectra.queryworker.execution.JobThreads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Reads job requests and starts each job on a virtual thread of its own, without waiting for it. The record
 * is acknowledged as soon as its job is claimed, found ended or found to be another worker's: the job's
 * lease, not the offset, keeps the job alive if this worker dies (see {@link KafkaConfiguration}). A record
 * for a job this worker already holds is acknowledged at once. When the worker holds as many jobs as it
 * may, the listener waits for a place: the consumer slows down instead of the worker taking on more.
 */
public class JobRequestListener {

    private final JobPerformer performer;
    private final JobThreads threads;
    private final ObjectReader reader;
    private final Clock clock;
    /** Records handed to this listener and not yet acknowledged, with when they arrived. */
    private final Map<String, Instant> unacknowledged = new ConcurrentHashMap<>();

    public JobRequestListener(JobPerformer performer, JobThreads threads, JsonMapper json, Clock clock, MeterRegistry meters) {
        this.performer = requireNonNull(performer, "performer is null");
        this.threads = requireNonNull(threads, "threads is null");
        this.clock = requireNonNull(clock, "clock is null");
        // The alarm: a live worker acknowledges a record within moments (its job claimed); one held for
        // seconds means a paused consumer, which only a rebalance would otherwise bring back.
        Gauge.builder("spectra.requests.unacknowledged", unacknowledged, Map::size)
                .description("Job request records this worker received and has not acknowledged yet")
                .register(meters);
        Gauge.builder("spectra.requests.oldest_unacknowledged", this, JobRequestListener::oldestUnacknowledgedSeconds)
                .description("Seconds the oldest unacknowledged job request record has waited; alarm when it stays above a few seconds")
                .baseUnit("seconds")
                .register(meters);
        // Tolerates a producer that omits schemaVersion; unknown fields are ignored by the record itself.
        this.reader = json.readerFor(JobRequested.class).without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    // The consumer group is spring.kafka.consumer.group-id (spectra-query-worker), not the listener id.
    @KafkaListener(id = "query-requests", idIsGroup = false,
            topics = "${spectra.topics.query-requests:" + Topics.QUERY_REQUESTS + "}")
    public void onJobRequested(ConsumerRecord<String, String> record, Acknowledgment acknowledgment) throws InterruptedException {
        JobRequested request = read(record);
        String position = record.topic() + "-" + record.partition() + "@" + record.offset();
        unacknowledged.put(position, clock.instant());
        Runnable acknowledge = () -> {
            acknowledgment.acknowledge();
            unacknowledged.remove(position);
        };
        boolean started;
        try {
            started = threads.start(new JobKey(request.tenantId(), request.jobId()), true,
                    () -> performer.perform(request, acknowledge));
        } catch (InterruptedException | RuntimeException stopping) {
            unacknowledged.remove(position);
            throw stopping;
        }
        if (!started) {
            // Held here already, or the worker is stopping: either way this record has nothing more to do.
            acknowledge.run();
        }
    }

    double oldestUnacknowledgedSeconds() {
        Instant now = clock.instant();
        return unacknowledged.values().stream()
                .min(Comparator.naturalOrder())
                .map(oldest -> Duration.between(oldest, now).toMillis() / 1000.0)
                .orElse(0.0);
    }

    private JobRequested read(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new UnreadableMessageException("job request without a value at offset " + record.offset(), null);
        }
        try {
            JobRequested request = reader.readValue(record.value());
            if (request == null) {
                throw new UnreadableMessageException("job request is JSON null at offset " + record.offset(), null);
            }
            return request;
        } catch (JacksonException e) {
            throw new UnreadableMessageException("unreadable job request at offset " + record.offset(), e);
        }
    }
}
