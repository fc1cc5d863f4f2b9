package dev.spectra.common.metrics;

import io.micrometer.core.instrument.Tag;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InvalidGroupIdException;

import java.util.ArrayList;
import java.util.List;

/**
 * The consumer group as a tag of a Kafka consumer's meters. Spring Boot binds every client's own metrics
 * ({@code kafka.consumer.fetch.manager.records.lag}, {@code ...coordinator.assigned.partitions}, ...) tagged with the
 * client id only; common-spring's {@code KafkaClientMetersAutoConfiguration} adds {@code group} in every service, so that lag and assignment sum
 * by consumer group, whatever the client ids are.
 *
 * <p>The tag must be there when the meters are bound, not added afterwards by a {@code MeterFilter}: Micrometer's
 * Kafka binder compares the tags it computes with those of the meters registered, and stops registering a name's
 * further meters once they differ.
 */
public final class KafkaClientMeters {

    /** The {@code group} of a consumer that belongs to none (assigned partitions by hand). */
    public static final String NO_GROUP = "none";

    private KafkaClientMeters() {}

    /** {@code tags} and the consumer's {@code group}. */
    public static List<Tag> consumerTags(Consumer<?, ?> consumer, List<Tag> tags) {
        List<Tag> all = new ArrayList<>(tags);
        all.add(Tag.of("group", groupOf(consumer)));
        return List.copyOf(all);
    }

    static String groupOf(Consumer<?, ?> consumer) {
        try {
            return consumer.groupMetadata().groupId();
        } catch (InvalidGroupIdException noGroup) {
            return NO_GROUP;
        }
    }
}
