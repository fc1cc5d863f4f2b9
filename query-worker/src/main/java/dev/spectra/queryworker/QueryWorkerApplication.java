package dev.spectra.queryworker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Kafka client meters are bound by common-spring's {@code KafkaClientMetersAutoConfiguration}, with the consumer group as a tag. */
@SpringBootApplication(exclude = KafkaMetricsAutoConfiguration.class)
@ConfigurationPropertiesScan
public class QueryWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(QueryWorkerApplication.class, args);
    }
}
