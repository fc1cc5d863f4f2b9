package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.deliveryworker.config.TopicsProperties;
import dev.spectra.deliveryworker.delivery.DeliveryPerformer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes {@link StatementFinished} and hands each one to the {@link DeliveryPerformer}. The record is
 * acknowledged when this method returns (ack mode RECORD), that is once the job reached an outcome or
 * was skipped; what throws goes to the {@link KafkaErrorHandling error handler}.
 */
@Component
public class StatementFinishedListener {

    public static final String CONSUMER_GROUP = "spectra-delivery-worker";

    private final DeliveryPerformer performer;
    private final JsonMapper json;
    private final String topic;

    public StatementFinishedListener(DeliveryPerformer performer, JsonMapper json, TopicsProperties topics) {
        this.performer = performer;
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
        performer.perform(json.readValue(record.value(), StatementFinished.class));
    }
}
