package dev.spectra.queryworker.aws;

import dev.spectra.queryworker.config.AwsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClientBuilder;

/**
 * The real SDK clients. Locally only the endpoints differ; credentials come from the default provider chain.
 * Synchronous clients suffice: every call is short and runs on the bounded AWS-call pool.
 */
@Configuration(proxyBeanMethods = false)
public class AwsClientsConfiguration {

    @Bean(destroyMethod = "close")
    RedshiftDataClient redshiftDataClient(AwsProperties aws) {
        RedshiftDataClientBuilder builder = RedshiftDataClient.builder().region(Region.of(aws.region()));
        if (aws.endpoints().redshiftData() != null) {
            builder.endpointOverride(aws.endpoints().redshiftData());
        }
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbClient dynamoDbClient(AwsProperties aws) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().region(Region.of(aws.region()));
        if (aws.endpoints().dynamodb() != null) {
            builder.endpointOverride(aws.endpoints().dynamodb());
        }
        return builder.build();
    }
}
