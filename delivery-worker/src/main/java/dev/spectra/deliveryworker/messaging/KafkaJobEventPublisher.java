package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.job.Job;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.deliveryworker.config.TopicsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes {@link JobEvent}s keyed by tenant. Events are notifications: the job table is the truth, so a
 * failed send is logged rather than holding up the delivery it reports on.
 */
@Component
public class KafkaJobEventPublisher implements JobEventPublisher {

    private static final Logger log = LoggerFactory.getLogger(KafkaJobEventPublisher.class);

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;
    private final String topic;

    public KafkaJobEventPublisher(KafkaTemplate<String, String> kafka, JsonMapper json, TopicsProperties topics) {
        this.kafka = kafka;
        this.json = json;
        this.topic = topics.jobEvents();
    }

    @Override
    public void publish(Job job) {
        JobEvent event = JobEvent.of(job);
        try {
            kafka.send(topic, job.tenantId().value(), json.writeValueAsString(event))
                    .whenComplete((sent, error) -> {
                        if (error != null) {
                            failed(event, error);
                        }
                    });
        } catch (RuntimeException e) {
            failed(event, e);
        }
    }

    // Completion callbacks run on the producer thread, which has no MDC: name the job explicitly.
    private static void failed(JobEvent event, Throwable error) {
        log.error("could not publish job event job={} tenant={} status={}", event.jobId(), event.tenantId(), event.status(), error);
    }
}
