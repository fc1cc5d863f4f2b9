package dev.spectra.gateway.events;

import dev.spectra.common.messaging.JobEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListener;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import static java.util.Objects.requireNonNull;

/**
 * Reads the job events topic for this gateway alone (a consumer group of its own, from the newest event) and hands
 * each event to the {@link JobEventHub}. A lost or late event delays a wait by at most its fall-back read.
 */
public final class JobEventListener implements MessageListener<String, String> {

    private static final Logger log = LoggerFactory.getLogger(JobEventListener.class);

    private final JobEventHub hub;
    private final ObjectReader reader;
    private final Counter received;

    public JobEventListener(JobEventHub hub, JsonMapper json, MeterRegistry meters) {
        this.hub = requireNonNull(hub, "hub is null");
        this.reader = json.readerFor(JobEvent.class);
        this.received = Counter.builder("spectra.gateway.job_events")
                .description("Job events this gateway read from the events topic")
                .register(meters);
    }

    @Override
    public void onMessage(ConsumerRecord<String, String> record) {
        received.increment();
        JobEvent event;
        try {
            event = reader.readValue(record.value());
        } catch (RuntimeException e) { // JacksonException is unchecked in Jackson 3, as is a record's own check
            log.debug("unreadable job event {}-{}@{} ignored", record.topic(), record.partition(), record.offset());
            return;
        }
        hub.accept(event);
    }
}
