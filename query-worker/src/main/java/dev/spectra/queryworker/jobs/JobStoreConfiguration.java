package dev.spectra.queryworker.jobs;

import dev.spectra.queryworker.config.TablesProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@Configuration(proxyBeanMethods = false)
public class JobStoreConfiguration {

    @Bean
    JobStore jobStore(DynamoDbClient dynamoDb, TablesProperties tables) {
        return new DynamoDbJobStore(dynamoDb, tables.jobs());
    }
}
