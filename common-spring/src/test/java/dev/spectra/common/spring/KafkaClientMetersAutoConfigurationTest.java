package dev.spectra.common.spring;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The auto-configuration as a service gets it: found through its imports file, beside Boot's Kafka configuration. */
class KafkaClientMetersAutoConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaClientMetersAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            // Creating a client connects to nothing.
            .withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:1", "spring.kafka.consumer.group-id=spectra-query-worker");

    @Test
    void everyMeterOfAConsumerFromTheServicesFactoryCarriesItsConsumerGroup() {
        context.run(spring -> {
            MeterRegistry meters = spring.getBean(MeterRegistry.class);
            try (Consumer<Object, Object> consumer = spring.getBean(ConsumerFactory.class).createConsumer()) {
                assertThat(meters.getMeters()).filteredOn(meter -> meter.getId().getName().startsWith("kafka.consumer"))
                        .isNotEmpty()
                        .allSatisfy(meter -> assertThat(meter.getId().getTag("group")).isEqualTo("spectra-query-worker"));
            }
        });
    }

    @Test
    void aProducerFromTheServicesFactoryHasItsMetersBound() {
        context.run(spring -> {
            MeterRegistry meters = spring.getBean(MeterRegistry.class);
            try (Producer<Object, Object> producer = spring.getBean(ProducerFactory.class).createProducer()) {
                assertThat(meters.getMeters()).map(Meter::getId).map(Meter.Id::getName).anyMatch(name -> name.startsWith("kafka.producer"));
            }
        });
    }

    @Test
    void withoutAMeterRegistryNothingIsBound() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaClientMetersAutoConfiguration.class))
                .run(spring -> assertThat(spring).doesNotHaveBean("kafkaConsumerMeters"));
    }
}
