package dev.spectra.gateway.aws;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;

/**
 * The AWS clients. Asynchronous ones only: the gateway runs on Netty's event loops, and the SDK's
 * async client completes its futures on its own executor, never blocking a caller.
 */
@Configuration(proxyBeanMethods = false)
public class AwsClientConfiguration {

    @Bean(destroyMethod = "close")
    DynamoDbAsyncClient dynamoDbAsyncClient(AwsProperties aws) {
        DynamoDbAsyncClientBuilder builder = DynamoDbAsyncClient.builder()
                .region(Region.of(aws.region()))
                .overrideConfiguration(override -> override.apiCallTimeout(aws.apiCallTimeout()));
        aws.endpoints().dynamodbOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
