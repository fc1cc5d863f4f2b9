package dev.spectra.gateway.jobs;

import dev.spectra.gateway.config.GatewayProperties;
import dev.spectra.gateway.config.TableProperties;
import dev.spectra.gateway.config.TopicProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class JobsConfiguration {

    @Bean
    JobStore jobStore(DynamoDbAsyncClient dynamoDb, TableProperties tables) {
        return new DynamoDbJobStore(dynamoDb, tables.jobs());
    }

    @Bean
    JobQueue jobQueue(KafkaTemplate<String, String> kafka, JsonMapper jsonMapper, TopicProperties topics) {
        return new KafkaJobQueue(kafka, jsonMapper, topics, Schedulers.boundedElastic());
    }

    @Bean
    JobSubmitter jobSubmitter(JobStore jobStore, JobQueue jobQueue, Clock clock, GatewayProperties gateway) {
        return new JobSubmitter(jobStore, jobQueue, clock, gateway.jobRetention());
    }

    @Bean
    QueryRequestReader queryRequestReader(JsonMapper jsonMapper, GatewayProperties gateway) {
        return new QueryRequestReader(jsonMapper, gateway);
    }

    @Bean
    SubmissionMetricsFilter submissionMetricsFilter(MeterRegistry meters) {
        return new SubmissionMetricsFilter(meters);
    }
}
