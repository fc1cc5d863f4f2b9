package dev.spectra.deliveryworker.aws;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

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

    /**
     * The results bucket's client: the SDK's multipart client, which cuts a stream of unknown length into parts and
     * uploads them as they fill, holding at most {@code apiCallBufferSize} ({@link DeliveryProperties#PARTS_BUFFERED} parts) in memory. Unlike the other
     * clients it retries (the SDK's standard strategy): a part's bytes are buffered, so a part can be sent again,
     * while the stream that fills it cannot be replayed by the delivery.
     */
    @Bean(destroyMethod = "close")
    public S3AsyncClient s3AsyncClient(AwsProperties aws, DeliveryProperties delivery) {
        long partSize = delivery.uploadPartSize().toBytes();
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .region(Region.of(aws.region()))
                .forcePathStyle(aws.s3PathStyle())
                .multipartEnabled(true)
                .multipartConfiguration(multipart -> multipart
                        .minimumPartSizeInBytes(partSize)
                        .thresholdInBytes(partSize)
                        .apiCallBufferSizeInBytes(DeliveryProperties.PARTS_BUFFERED * partSize));
        aws.endpoints().s3Override().ifPresent(builder::endpointOverride);
        return builder.build();
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
