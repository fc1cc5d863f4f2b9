package dev.spectra.queryworker.aws;

import dev.spectra.queryworker.config.AwsProperties;
import dev.spectra.queryworker.config.DataApiProperties;
import dev.spectra.queryworker.config.StatementsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClientBuilder;

/**
 * The real SDK clients. Locally only the endpoints differ; credentials come from the default provider chain.
 * Synchronous clients: every call runs on a job's virtual thread.
 *
 * <p>The SDK does not retry. Each job retries its own calls, classified once, with backoff and until the
 * job's deadline; the SDK's retries on top would multiply every attempt (three SDK attempts for each of
 * the job's) and hide throttling from the job's own backoff.
 */
@Configuration(proxyBeanMethods = false)
public class AwsClientsConfiguration {

    @Bean(destroyMethod = "close")
    RedshiftDataClient redshiftDataClient(AwsProperties aws, DataApiProperties dataApi, StatementsProperties statements) {
        if (statements.maxLongPolls() >= dataApi.maxConnections()) {
            throw new IllegalStateException("spectra.data-api.max-connections (%d) must be more than spectra.statements.max-long-polls (%d): each long poll holds a connection"
                    .formatted(dataApi.maxConnections(), statements.maxLongPolls()));
        }
        RedshiftDataClientBuilder builder = RedshiftDataClient.builder()
                .region(Region.of(aws.region()))
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(dataApi.maxConnections()))
                .overrideConfiguration(configuration -> configuration.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (aws.endpoints().redshiftData() != null) {
            builder.endpointOverride(aws.endpoints().redshiftData());
        }
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbClient dynamoDbClient(AwsProperties aws) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(aws.region()))
                .overrideConfiguration(configuration -> configuration.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (aws.endpoints().dynamodb() != null) {
            builder.endpointOverride(aws.endpoints().dynamodb());
        }
        return builder.build();
    }
}
