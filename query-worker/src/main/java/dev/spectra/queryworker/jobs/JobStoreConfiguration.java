package dev.spectra.queryworker.jobs;

import dev.spectra.common.job.DynamoDbJobStore;
import dev.spectra.common.job.JobStore;
import dev.spectra.queryworker.config.TablesProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The job table, through the one blocking store both worker fleets share. */
@Configuration(proxyBeanMethods = false)
public class JobStoreConfiguration {

    @Bean
    JobStore jobStore(DynamoDbClient dynamoDb, TablesProperties tables) {
        return new DynamoDbJobStore(dynamoDb, tables.jobs());
    }
}
