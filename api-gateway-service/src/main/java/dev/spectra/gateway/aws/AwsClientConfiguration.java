package dev.spectra.gateway.aws;

import dev.spectra.common.aws.AwsClients;
import dev.spectra.common.aws.AwsProperties;
import dev.spectra.common.aws.AwsService;
import dev.spectra.common.aws.Retries;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.util.Optional;

/**
 * The AWS clients, built the way every service builds them ({@link AwsClients}). Asynchronous ones only: the
 * gateway runs on Netty's event loops, and the SDK's async client completes its futures on its own executor, never
 * blocking a caller. They keep the SDK's own retries, within their call timeouts: a request waits for its answer,
 * and a retried attempt is the cheapest way to give it one. The presigner makes no call; it signs with the default
 * credentials chain's keys (resolving them may block, so signing runs off the event loop).
 */
@Configuration(proxyBeanMethods = false)
public class AwsClientConfiguration {

    @Bean
    AwsProperties awsProperties(Environment environment) {
        return Binder.get(environment).bindOrCreate(AwsProperties.PREFIX, AwsProperties.class);
    }

    @Bean(destroyMethod = "close")
    AwsClients awsClients(AwsProperties aws, MeterRegistry meters) {
        return AwsClients.create(aws, meters);
    }

    @Bean(destroyMethod = "close")
    DynamoDbAsyncClient dynamoDbAsyncClient(AwsClients aws) {
        return aws.configure(DynamoDbAsyncClient.builder(), AwsService.DYNAMODB, Retries.BY_SDK).build();
    }

    @Bean(destroyMethod = "close")
    S3AsyncClient s3AsyncClient(AwsClients aws) {
        return s3Client(aws);
    }

    /**
     * The results bucket's client. Its call and attempt timeouts bound the wait for an object's headers, not the
     * transfer of its bytes, which follows the reader's demand however slow.
     */
    public static S3AsyncClient s3Client(AwsClients aws) {
        return aws.configure(S3AsyncClient.builder(), AwsService.S3, Retries.BY_SDK)
                .forcePathStyle(aws.properties().s3PathStyle())
                .build();
    }

    /**
     * A presigner with the gateway's own S3 client's region and path style, whose links point at {@code linkEndpoint}
     * when one is given, else where that client goes (its endpoint override, or the regional endpoint).
     */
    public static S3Presigner presigner(AwsClients aws, Optional<URI> linkEndpoint) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(aws.region())
                .credentialsProvider(aws.credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(aws.properties().s3PathStyle()).build());
        linkEndpoint.or(() -> aws.endpoint(AwsService.S3)).ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
