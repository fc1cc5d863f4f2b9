package dev.spectra.queryworker.aws;

import dev.spectra.common.aws.AwsCallMetrics;
import dev.spectra.common.aws.AwsService;
import dev.spectra.queryworker.config.DataApiProperties;
import dev.spectra.queryworker.config.StatementsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AwsClientsConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(AwsClientsConfiguration.class, Binding.class)
            .withPropertyValues("spectra.aws.region=eu-west-1");

    @EnableConfigurationProperties({DataApiProperties.class, StatementsProperties.class})
    static class Binding {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void pointsTheClientsAtTheirEndpointsInTheConfiguredRegion() {
        context.withPropertyValues("spectra.aws.endpoints.dynamodb=http://localhost:8000", "spectra.aws.endpoints.redshift-data=http://localhost:9500")
                .run(context -> {
                    assertThat(context.getBean(DynamoDbClient.class).serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://localhost:8000"));
                    assertThat(context.getBean(RedshiftDataClient.class).serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://localhost:9500"));
                    assertThat(context.getBean(RedshiftDataClient.class).serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
                });
    }

    @Test
    void leavesRetriesToTheJobsAndBoundsEveryCall() {
        context.run(context -> {
            expectOneAttemptTimeoutsAndMetrics(context.getBean(DynamoDbClient.class).serviceClientConfiguration().overrideConfiguration(),
                    AwsService.DYNAMODB);
            expectOneAttemptTimeoutsAndMetrics(context.getBean(RedshiftDataClient.class).serviceClientConfiguration().overrideConfiguration(),
                    AwsService.REDSHIFT_DATA);
        });
    }

    @Test
    void refusesADataApiAttemptTimeoutThatALongPollWouldOutlast() {
        context.withPropertyValues("spectra.statements.long-poll-wait=20s", "spectra.aws.api-call-attempt-timeout.redshift-data=15s")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("spectra.aws.api-call-attempt-timeout.redshift-data")
                        .hasMessageContaining("spectra.statements.long-poll-wait"));
        context.withPropertyValues("spectra.statements.long-poll-wait=20s", "spectra.aws.api-call-timeout.redshift-data=30s",
                        "spectra.aws.api-call-attempt-timeout.redshift-data=25s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    private static void expectOneAttemptTimeoutsAndMetrics(ClientOverrideConfiguration override, AwsService service) {
        assertThat(override.retryStrategy()).hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isEqualTo(1));
        assertThat(override.apiCallTimeout()).contains(service.defaultApiCallTimeout());
        assertThat(override.apiCallAttemptTimeout()).contains(service.defaultApiCallAttemptTimeout());
        assertThat(override.executionInterceptors()).hasAtLeastOneElementOfType(AwsCallMetrics.class);
    }

    @Test
    void theDefaultAttemptTimeoutOutlastsTheDefaultLongPoll() {
        assertThat(AwsService.REDSHIFT_DATA.defaultApiCallAttemptTimeout())
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1).plus(AwsClientsConfiguration.LONG_POLL_MARGIN));
    }
}
