package dev.spectra.gateway.aws;

import dev.spectra.common.aws.AwsCallMetrics;
import dev.spectra.common.aws.AwsProperties;
import dev.spectra.common.aws.AwsService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AwsClientConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(AwsClientConfiguration.class, Meters.class);

    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void bindsTheSharedAwsPropertiesAsTheLocalStackPassesThem() {
        context.withPropertyValues(
                        "spectra.aws.region=eu-central-1",
                        "spectra.aws.endpoints.dynamodb=http://127.0.0.1:8000",
                        "spectra.aws.endpoints.s3=http://127.0.0.1:9090",
                        "spectra.aws.s3-path-style=true",
                        "spectra.aws.api-call-timeout.dynamodb=3s",
                        "spectra.aws.api-call-attempt-timeout.s3=7s")
                .run(context -> {
                    AwsProperties aws = context.getBean(AwsProperties.class);
                    assertThat(aws.configuredRegion()).contains("eu-central-1");
                    assertThat(aws.endpoint(AwsService.DYNAMODB)).contains(URI.create("http://127.0.0.1:8000"));
                    assertThat(aws.endpoint(AwsService.S3)).contains(URI.create("http://127.0.0.1:9090"));
                    assertThat(aws.s3PathStyle()).isTrue();
                    assertThat(aws.apiCallTimeout(AwsService.DYNAMODB)).isEqualTo(Duration.ofSeconds(3));
                    assertThat(aws.apiCallAttemptTimeout(AwsService.S3)).isEqualTo(Duration.ofSeconds(7));
                    assertThat(aws.apiCallAttemptTimeout(AwsService.DYNAMODB)).isEqualTo(AwsService.DYNAMODB.defaultApiCallAttemptTimeout());
                });
    }

    @Test
    void bindsNothingToTheDefaults() {
        context.withPropertyValues("spectra.aws.region=us-east-1")
                .run(context -> assertThat(context.getBean(AwsProperties.class))
                        .isEqualTo(new AwsProperties("us-east-1", null, false, null, null)));
    }

    @Test
    void applicationYmlListsTheBuiltInDefaults() throws IOException {
        MutablePropertySources sources = new MutablePropertySources();
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml")).forEach(sources::addLast);

        assertThat(new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate(AwsProperties.PREFIX, AwsProperties.class))
                .isEqualTo(AwsProperties.defaults());
    }

    @Test
    void treatsAnEmptyEndpointAsRealAws() {
        context.withPropertyValues("spectra.aws.region=us-east-1", "spectra.aws.endpoints.dynamodb=", "spectra.aws.endpoints.s3=")
                .run(context -> assertThat(context.getBean(AwsProperties.class).endpoints()).isEmpty());
    }

    /** How a container or pod sets them: Spring's relaxed binding of environment variables (REDSHIFTDATA: an underscore would nest). */
    @Test
    void bindsEnvironmentVariables() {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "SPECTRA_AWS_REGION", "eu-west-1",
                "SPECTRA_AWS_ENDPOINTS_REDSHIFTDATA", "http://127.0.0.1:9500",
                "SPECTRA_AWS_ENDPOINTS_S3", "http://127.0.0.1:9090",
                "SPECTRA_AWS_S3PATHSTYLE", "true",
                "SPECTRA_AWS_APICALLTIMEOUT_S3", "90s",
                "SPECTRA_AWS_APICALLATTEMPTTIMEOUT_REDSHIFTDATA", "12s")));

        AwsProperties aws = new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate(AwsProperties.PREFIX, AwsProperties.class);

        assertThat(aws.configuredRegion()).contains("eu-west-1");
        assertThat(aws.endpoint(AwsService.REDSHIFT_DATA)).contains(URI.create("http://127.0.0.1:9500"));
        assertThat(aws.endpoint(AwsService.S3)).contains(URI.create("http://127.0.0.1:9090"));
        assertThat(aws.s3PathStyle()).isTrue();
        assertThat(aws.apiCallTimeout(AwsService.S3)).isEqualTo(Duration.ofSeconds(90));
        assertThat(aws.apiCallAttemptTimeout(AwsService.REDSHIFT_DATA)).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void refusesAnAttemptTimeoutLongerThanItsCall() {
        context.withPropertyValues("spectra.aws.region=us-east-1", "spectra.aws.api-call-attempt-timeout.dynamodb=10s")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("spectra.aws.api-call-attempt-timeout.dynamodb"));
    }

    @Test
    void givesEveryClientTheRegionTimeoutsAndCallMetricsAndKeepsTheSdksRetries() {
        context.withPropertyValues("spectra.aws.region=eu-central-1", "spectra.aws.endpoints.s3=http://127.0.0.1:9090")
                .run(context -> {
                    DynamoDbAsyncClient dynamoDb = context.getBean(DynamoDbAsyncClient.class);
                    S3AsyncClient s3 = context.getBean(S3AsyncClient.class);
                    assertThat(dynamoDb.serviceClientConfiguration().region()).isEqualTo(Region.EU_CENTRAL_1);
                    assertThat(s3.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:9090"));
                    expectTimeoutsMetricsAndSdkRetries(dynamoDb.serviceClientConfiguration().overrideConfiguration(), AwsService.DYNAMODB);
                    expectTimeoutsMetricsAndSdkRetries(s3.serviceClientConfiguration().overrideConfiguration(), AwsService.S3);
                });
    }

    private static void expectTimeoutsMetricsAndSdkRetries(ClientOverrideConfiguration override, AwsService service) {
        assertThat(override.apiCallTimeout()).contains(service.defaultApiCallTimeout());
        assertThat(override.apiCallAttemptTimeout()).contains(service.defaultApiCallAttemptTimeout());
        assertThat(override.executionInterceptors()).hasAtLeastOneElementOfType(AwsCallMetrics.class);
        assertThat(override.retryStrategy()).hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isGreaterThan(1));
    }
}
