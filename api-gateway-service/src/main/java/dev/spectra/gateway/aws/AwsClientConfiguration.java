package dev.spectra.gateway.aws;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The AWS clients. Asynchronous ones only: the gateway runs on Netty's event loops, and the SDK's
 * async client completes its futures on its own executor, never blocking a caller. The presigner makes
 * no call; it signs with the default credentials chain's keys (resolving them may block, so signing runs
 * off the event loop).
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

    @Bean(destroyMethod = "close")
    S3AsyncClient s3AsyncClient(AwsProperties aws) {
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .region(Region.of(aws.region()))
                .forcePathStyle(aws.s3PathStyle())
                .overrideConfiguration(override -> override.apiCallTimeout(aws.apiCallTimeout()));
        aws.endpoints().s3Override().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    S3Presigner s3Presigner(AwsProperties aws) {
        return presigner(aws, DefaultCredentialsProvider.builder().build());
    }

    /** A presigner whose links point where the gateway's own S3 client goes: the endpoint override, path style. */
    public static S3Presigner presigner(AwsProperties aws,
            AwsCredentialsProvider credentials) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(aws.s3PathStyle()).build());
        aws.endpoints().s3Override().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
