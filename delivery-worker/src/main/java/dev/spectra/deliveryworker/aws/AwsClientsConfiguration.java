package dev.spectra.deliveryworker.aws;

import dev.spectra.common.aws.AwsClients;
import dev.spectra.common.aws.AwsProperties;
import dev.spectra.common.aws.AwsService;
import dev.spectra.common.aws.Retries;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The real SDK clients, built the way every service builds them ({@link AwsClients}); only their endpoints differ
 * between AWS and the local stack.
 *
 * <p>The Data API and DynamoDB clients do not retry ({@link Retries#BY_CALLER}): the delivery worker retries each
 * call itself, classified once and with the shared backoff ({@code spectra.delivery.retry.*}); SDK retries on top
 * would multiply the attempts.
 */
@Configuration(proxyBeanMethods = false)
public class AwsClientsConfiguration {

    @Bean
    AwsProperties awsProperties(Environment environment) {
        return Binder.get(environment).bindOrCreate(AwsProperties.PREFIX, AwsProperties.class);
    }

    @Bean(destroyMethod = "close")
    AwsClients awsClients(AwsProperties aws, MeterRegistry meters) {
        return AwsClients.create(aws, meters);
    }

    @Bean(destroyMethod = "close")
    public RedshiftDataClient redshiftDataClient(AwsClients aws) {
        return aws.configure(RedshiftDataClient.builder(), AwsService.REDSHIFT_DATA, Retries.BY_CALLER).build();
    }

    @Bean(destroyMethod = "close")
    public DynamoDbClient dynamoDbClient(AwsClients aws) {
        return aws.configure(DynamoDbClient.builder(), AwsService.DYNAMODB, Retries.BY_CALLER).build();
    }

    /**
     * The results bucket's client: the SDK's multipart client, which cuts a stream of unknown length into parts and
     * uploads them as they fill, holding at most {@code apiCallBufferSize} ({@link DeliveryProperties#PARTS_BUFFERED}
     * parts) in memory. Unlike the other clients it retries ({@link Retries#BY_SDK}): a part's bytes are buffered, so
     * a part can be sent again, while the stream that fills it cannot be replayed by the delivery. Its timeouts bound
     * each of the upload's calls (create, each part, complete), not the whole upload: raise
     * {@code spectra.aws.api-call-attempt-timeout.s3} with {@code spectra.delivery.upload-part-size}.
     */
    @Bean(destroyMethod = "close")
    public S3AsyncClient s3AsyncClient(AwsClients aws, DeliveryProperties delivery) {
        long partSize = delivery.uploadPartSize().toBytes();
        return aws.configure(S3AsyncClient.builder(), AwsService.S3, Retries.BY_SDK)
                .forcePathStyle(aws.properties().s3PathStyle())
                .multipartEnabled(true)
                .multipartConfiguration(multipart -> multipart
                        .minimumPartSizeInBytes(partSize)
                        .thresholdInBytes(partSize)
                        .apiCallBufferSizeInBytes(DeliveryProperties.PARTS_BUFFERED * partSize))
                .build();
    }
}
