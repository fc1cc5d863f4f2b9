package dev.spectra.gateway.jobs;

import dev.spectra.common.audit.AuditTrail;
import dev.spectra.common.metrics.JobMetrics;
import dev.spectra.gateway.config.GatewayProperties;
import dev.spectra.gateway.config.TableProperties;
import dev.spectra.gateway.config.TopicProperties;
import dev.spectra.gateway.events.JobEventHub;
import dev.spectra.gateway.events.JobEventListener;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
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

    /** The job stages and endings, as every service records them: here, the jobs the gateway itself ends. */
    @Bean
    JobMetrics jobMetrics(MeterRegistry meters) {
        return new JobMetrics(meters);
    }

    @Bean
    JobSubmitter jobSubmitter(JobStore jobStore, JobQueue jobQueue, Clock clock, GatewayProperties gateway, QueriesProperties queries,
            AuditTrail audit, JobMetrics jobMetrics) {
        return new JobSubmitter(jobStore, jobQueue, clock, gateway.jobRetention(), queries.maxTimeout(), audit, jobMetrics);
    }

    @Bean
    JobCancellation jobCancellation(JobStore jobStore, JobQueue jobQueue, Clock clock, MeterRegistry meters, AuditTrail audit,
            JobMetrics jobMetrics) {
        return new JobCancellation(jobStore, jobQueue, clock, meters, audit, jobMetrics);
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
    JobEventHub jobEventHub(QueriesProperties queries, MeterRegistry meters) {
        return new JobEventHub(queries.maxWatchesPerTenant(), meters);
    }

    /**
     * The job events, read by this gateway alone (a consumer group named for this process) from the newest, for the
     * waits and event streams open here. Offsets are committed as they go; an event is never retried.
     */
    @Bean
    ConcurrentMessageListenerContainer<String, String> jobEventsContainer(
            ConcurrentKafkaListenerContainerFactory<String, String> factory, TopicProperties topics, JobEventHub hub,
            JsonMapper jsonMapper, MeterRegistry meters) {
        ConcurrentMessageListenerContainer<String, String> container = factory.createContainer(topics.jobEvents());
        ContainerProperties properties = container.getContainerProperties();
        properties.setGroupId("spectra-gateway-watch-" + UUID.randomUUID());
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setMessageListener(new JobEventListener(hub, jsonMapper, meters));
        Properties consumer = new Properties();
        consumer.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.setKafkaConsumerProperties(consumer);
        container.setBeanName("job-events-watch");
        return container;
    }

    @Bean
    JobWaiter jobWaiter(JobStatusReads statusReads, JobEventHub hub, QueriesProperties queries, MeterRegistry meters) {
        return new JobWaiter(statusReads, hub, queries.waitFallbackRead(), meters);
    }

    /** Ended jobs are kept in memory for ten minutes after their first status read: the polls that follow an end. */
    @Bean
    JobStatusReads jobStatusReads(JobStore jobStore, MeterRegistry meters) {
        return new JobStatusReads(jobStore, Duration.ofMinutes(10), meters);
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
