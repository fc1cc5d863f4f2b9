package dev.spectra.queryworker.messaging;

import dev.spectra.common.messaging.JobRequested;
import dev.spectra.common.messaging.Topics;
import dev.spectra.queryworker.execution.JobPerformer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import static java.util.Objects.requireNonNull;

/**
 * Reads job requests and hands them to the performer without waiting. The record is acknowledged only
 * when the job no longer needs it (see {@link KafkaConfiguration} for how out-of-order acknowledgements
 * are committed); a worker that dies first leaves it uncommitted for another worker.
 */
public class JobRequestListener {

    private final JobPerformer performer;
    private final ObjectReader reader;

    public JobRequestListener(JobPerformer performer, JsonMapper json) {
        this.performer = requireNonNull(performer, "performer is null");
        // Tolerates a producer that omits schemaVersion; unknown fields are ignored by the record itself.
        this.reader = json.readerFor(JobRequested.class).without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    // The consumer group is spring.kafka.consumer.group-id (spectra-query-worker), not the listener id.
    @KafkaListener(id = "query-requests", idIsGroup = false,
            topics = "${spectra.topics.query-requests:" + Topics.QUERY_REQUESTS + "}")
    public void onJobRequested(ConsumerRecord<String, String> record, Acknowledgment acknowledgment) {
        JobRequested request = read(record);
        performer.perform(request, acknowledgment::acknowledge);
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
