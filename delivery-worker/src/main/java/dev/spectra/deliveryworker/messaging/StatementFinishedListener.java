package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.deliveryworker.config.TopicsProperties;
import dev.spectra.deliveryworker.delivery.Deliveries;
import dev.spectra.deliveryworker.delivery.DeliveryDeferredException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes {@link StatementFinished} and starts its delivery ({@link Deliveries}). The record is acknowledged when
 * this method returns (ack mode RECORD), once the delivery started on its own thread; from there the job's lease
 * guards it. This method waits only while the worker already runs as many deliveries as it may. What throws goes to
 * the {@link KafkaErrorHandling error handler}.
 */
@Component
public class StatementFinishedListener {

    public static final String CONSUMER_GROUP = "spectra-delivery-worker";

    private final Deliveries deliveries;
    private final JsonMapper json;
    private final String topic;

    public StatementFinishedListener(Deliveries deliveries, JsonMapper json, TopicsProperties topics) {
        this.deliveries = deliveries;
        this.json = json;
        this.topic = topics.statementResults();
    }

    /** The topic from the typed properties, for the annotation below. */
    public String topic() {
        return topic;
    }

    @KafkaListener(id = CONSUMER_GROUP, groupId = CONSUMER_GROUP, topics = "#{__listener.topic()}")
    public void onStatementFinished(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("empty StatementFinished message at offset " + record.offset());
        }
        StatementFinished finished = json.readValue(record.value(), StatementFinished.class);
        try {
            deliveries.submit(finished);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryDeferredException("stopped while waiting for a free delivery place", e);
        }
    }
}
