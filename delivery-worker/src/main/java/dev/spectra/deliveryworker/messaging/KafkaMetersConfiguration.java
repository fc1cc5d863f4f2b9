package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.metrics.KafkaClientMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.clients.consumer.Consumer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;

import java.util.List;

/**
 * The Kafka clients' own meters, as Spring Boot's {@code KafkaMetricsAutoConfiguration} binds them (excluded in
 * {@code DeliveryWorkerApplication}), with the consumer group as a tag of every consumer meter ({@link KafkaClientMeters}): lag
 * ({@code kafka_consumer_fetch_manager_records_lag}) and assigned partitions sum by {@code group}.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaMetersConfiguration {

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
