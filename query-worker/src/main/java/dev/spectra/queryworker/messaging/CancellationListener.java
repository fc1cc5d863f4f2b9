package dev.spectra.queryworker.messaging;

import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.queryworker.execution.JobPerformer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListener;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import static java.util.Objects.requireNonNull;

/**
 * Reads every job event, in a consumer group of this worker's own (each worker sees every event, from the moment it
 * started), and hands a CANCELLED one to the performer, which cancels the statement when the job is one of its own.
 * A fast path only: a worker that misses the event still stops at its next write, the gateway's CANCELLED having
 * moved the job's version.
 */
public final class CancellationListener implements MessageListener<String, String> {

    private static final Logger log = LoggerFactory.getLogger(CancellationListener.class);

    private final JobPerformer performer;
    private final ObjectReader reader;

    public CancellationListener(JobPerformer performer, JsonMapper json) {
        this.performer = requireNonNull(performer, "performer is null");
        this.reader = json.readerFor(JobEvent.class);
    }

    @Override
    public void onMessage(ConsumerRecord<String, String> record) {
        // Most events are of other states; a cheap look before parsing.
        if (record.value() == null || !record.value().contains(JobStatus.CANCELLED.name())) {
            return;
        }
        JobEvent event;
        try {
            event = reader.readValue(record.value());
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            log.debug("unreadable job event {}-{}@{} ignored", record.topic(), record.partition(), record.offset());
            return;
        }
        if (event.status() == JobStatus.CANCELLED) {
            performer.cancelRequested(event.tenantId(), event.jobId());
        }
    }
}
