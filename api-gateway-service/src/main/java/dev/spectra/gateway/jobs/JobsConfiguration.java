package dev.spectra.gateway.jobs;

import dev.spectra.gateway.config.GatewayProperties;
import dev.spectra.gateway.config.TableProperties;
import dev.spectra.gateway.config.TopicProperties;
import org.slf4j.LoggerFactory;
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
    JobSubmitter jobSubmitter(JobStore jobStore, JobQueue jobQueue, Clock clock, GatewayProperties gateway, QueriesProperties queries) {
        return new JobSubmitter(jobStore, jobQueue, clock, gateway.jobRetention(), queries.maxTimeout());
    }

    @Bean
    JobCancellation jobCancellation(JobStore jobStore, JobQueue jobQueue, Clock clock, MeterRegistry meters) {
        return new JobCancellation(jobStore, jobQueue, clock, meters);
    }

    @Bean
    JobListing jobListing(JobStore jobStore, QueriesProperties queries, MeterRegistry meters) {
        if (queries.pageTokenSecret() == null) {
            LoggerFactory.getLogger(JobsConfiguration.class).warn("spectra.gateway.queries.page-token-secret is not set: list page "
                    + "tokens are signed with a key of this gateway's own, and fail on other replicas and after a restart");
        }
        return new JobListing(jobStore, queries.pageTokenSecret(), meters);
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
