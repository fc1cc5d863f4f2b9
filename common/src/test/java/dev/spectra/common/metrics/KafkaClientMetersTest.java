package dev.spectra.common.metrics;

import io.micrometer.core.instrument.Tag;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClientMetersTest {

    @Test
    void aConsumersMetersCarryItsGroupBesidesTheTagsGiven() {
        try (KafkaConsumer<String, String> consumer = consumer("spectra-query-worker")) {
            assertThat(KafkaClientMeters.consumerTags(consumer, List.of(Tag.of("spring.id", "consumerFactory.consumer-1"))))
                    .containsExactly(Tag.of("spring.id", "consumerFactory.consumer-1"), Tag.of("group", "spectra-query-worker"));
        }
    }

    @Test
    void aConsumerWithoutAGroupIsTaggedNone() {
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            assertThat(KafkaClientMeters.consumerTags(consumer, List.of())).containsExactly(Tag.of("group", KafkaClientMeters.NO_GROUP));
        }
    }

    /** Constructing a consumer connects to nothing. */
    private static KafkaConsumer<String, String> consumer(String group) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        if (group != null) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }
}
