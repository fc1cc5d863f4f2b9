package dev.spectra.queryworker.aws;

import dev.spectra.common.aws.AwsClients;
import dev.spectra.common.aws.AwsProperties;
import dev.spectra.common.aws.AwsService;
import dev.spectra.common.aws.Retries;
import dev.spectra.queryworker.config.DataApiProperties;
import dev.spectra.queryworker.config.StatementsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

import java.time.Duration;

/**
 * The real SDK clients, built the way every service builds them ({@link AwsClients}); locally only the endpoints
 * differ. Synchronous clients: every call runs on a job's virtual thread.
 *
 * <p>The SDK does not retry ({@link Retries#BY_CALLER}). Each job retries its own calls, classified once, with
 * backoff and until the job's deadline; the SDK's retries on top would multiply every attempt (three SDK attempts
 * for each of the job's) and hide throttling from the job's own backoff.
 */
@Configuration(proxyBeanMethods = false)
public class AwsClientsConfiguration {

    /** How much longer than its {@code WaitTimeSeconds} a long poll's attempt may take: the network, the service's own work. */
    static final Duration LONG_POLL_MARGIN = Duration.ofSeconds(5);

    @Bean
    AwsProperties awsProperties(Environment environment) {
        return Binder.get(environment).bindOrCreate(AwsProperties.PREFIX, AwsProperties.class);
    }

    @Bean(destroyMethod = "close")
    AwsClients awsClients(AwsProperties aws, MeterRegistry meters) {
        return AwsClients.create(aws, meters);
    }

    @Bean(destroyMethod = "close")
    RedshiftDataClient redshiftDataClient(AwsClients aws, DataApiProperties dataApi, StatementsProperties statements) {
        if (statements.maxLongPolls() >= dataApi.maxConnections()) {
            throw new IllegalStateException("spectra.data-api.max-connections (%d) must be more than spectra.statements.max-long-polls (%d): each long poll holds a connection"
                    .formatted(dataApi.maxConnections(), statements.maxLongPolls()));
        }
        Duration attemptTimeout = aws.properties().apiCallAttemptTimeout(AwsService.REDSHIFT_DATA);
        if (attemptTimeout.compareTo(statements.longPollWait().plus(LONG_POLL_MARGIN)) < 0) {
            throw new IllegalStateException("spectra.aws.api-call-attempt-timeout.redshift-data (%s) must be at least spectra.statements.long-poll-wait (%s) + %ss: a long poll waits that long for its answer"
                    .formatted(attemptTimeout, statements.longPollWait(), LONG_POLL_MARGIN.toSeconds()));
        }
        return aws.configure(RedshiftDataClient.builder(), AwsService.REDSHIFT_DATA, Retries.BY_CALLER)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(dataApi.maxConnections()))
                .build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbClient dynamoDbClient(AwsClients aws) {
        return aws.configure(DynamoDbClient.builder(), AwsService.DYNAMODB, Retries.BY_CALLER).build();
    }
}
