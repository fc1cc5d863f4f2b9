package dev.spectra.deliveryworker.jobs;

import dev.spectra.common.job.DynamoDbJobStore;
import dev.spectra.common.job.JobStore;
import dev.spectra.deliveryworker.config.TablesProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The job store both workers share, on this worker's DynamoDB client and configured table. */
@Configuration(proxyBeanMethods = false)
public class JobStoreConfiguration {

    @Bean
    public JobStore jobStore(DynamoDbClient dynamoDb, TablesProperties tables) {
        return new DynamoDbJobStore(dynamoDb, tables.jobs());
    }
}
