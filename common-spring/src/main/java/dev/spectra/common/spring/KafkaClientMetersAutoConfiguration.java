package dev.spectra.common.spring;

import dev.spectra.common.metrics.KafkaClientMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.clients.consumer.Consumer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;

import java.util.List;

/**
 * The Kafka clients' own meters, bound as Spring Boot's {@code KafkaMetricsAutoConfiguration} binds them, with the
 * consumer group as a tag of every consumer meter ({@link KafkaClientMeters}): lag
 * ({@code kafka_consumer_fetch_manager_records_lag_max}) and assigned partitions sum by {@code group}, which is what
 * the alerts, the dashboards and KEDA's scaling read.
 *
 * <p>Boot's own binding has no condition to back off on, so each service's application class excludes
 * {@code KafkaMetricsAutoConfiguration}; with both, every consumer's meters would be registered twice, with
 * different tags, and Micrometer would keep only the first.
 */
// After the registry exists (the names Boot's own Kafka metrics configuration orders itself by), before the factories.
@AutoConfiguration(before = KafkaAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnBean(MeterRegistry.class)
public class KafkaClientMetersAutoConfiguration {

    @Bean
    DefaultKafkaConsumerFactoryCustomizer kafkaConsumerMeters(MeterRegistry meters) {
        return factory -> addMeters(factory, meters);
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer kafkaProducerMeters(MeterRegistry meters) {
        return factory -> factory.addListener(new MicrometerProducerListener<>(meters));
    }

    private static <K, V> void addMeters(DefaultKafkaConsumerFactory<K, V> factory, MeterRegistry meters) {
        factory.addListener(new MicrometerConsumerListener<>(meters) {
            @Override
            protected MeterBinder createClientMetrics(Consumer<K, V> consumer, List<Tag> tags) {
                return super.createClientMetrics(consumer, KafkaClientMeters.consumerTags(consumer, tags));
            }
        });
    }
}
