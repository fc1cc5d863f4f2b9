package dev.spectra.deliveryworker.aws;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.Optional;

/** The real SDK clients; only their endpoints differ between AWS and the local stack. */
@Configuration(proxyBeanMethods = false)
public class AwsClientsConfiguration {

    @Bean
    public RedshiftDataClient redshiftDataClient(AwsProperties aws) {
        return configure(RedshiftDataClient.builder(), aws, aws.endpoints().redshiftDataOverride()).build();
    }

    @Bean
    public DynamoDbClient dynamoDbClient(AwsProperties aws) {
        return configure(DynamoDbClient.builder(), aws, aws.endpoints().dynamodbOverride()).build();
    }

    /** Not used until results are exported to S3; wired now so its configuration is checked at startup. */
    @Bean
    public S3Client s3Client(AwsProperties aws) {
        return configure(S3Client.builder(), aws, aws.endpoints().s3Override())
                .forcePathStyle(aws.s3PathStyle())
                .build();
    }

    /**
     * The SDK does not retry: the delivery worker retries each call itself, classified once and with the
     * shared backoff ({@code spectra.delivery.retry.*}); SDK retries on top would multiply the attempts.
     */
    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsProperties aws, Optional<URI> endpoint) {
        builder.region(Region.of(aws.region()));
        builder.overrideConfiguration(configuration -> configuration.retryStrategy(AwsRetryStrategy.doNotRetry()));
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }
}
