package dev.spectra.common.aws;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class AwsClientsTest {

    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("id", "secret"));
    private static final AwsRegionProvider NO_REGION = () -> {
        throw SdkClientException.create("Unable to load region from any of the providers in the chain");
    };

    @Test
    void usesTheConfiguredRegionWithoutAskingTheChain() {
        AwsClients aws = new AwsClients(new AwsProperties("eu-central-1", null, false, null, null), NO_REGION, CREDENTIALS, new SimpleMeterRegistry());

        assertThat(aws.region()).isEqualTo(Region.EU_CENTRAL_1);
    }

    @Test
    void takesTheRegionFromTheChainWhenNoneIsConfigured() {
        AwsClients aws = new AwsClients(AwsProperties.defaults(), () -> Region.AP_SOUTHEAST_2, CREDENTIALS, new SimpleMeterRegistry());

        assertThat(aws.region()).isEqualTo(Region.AP_SOUTHEAST_2);
    }

    @Test
    void refusesToStartWithoutARegionAndSaysWhereToSetOne() {
        assertThatIllegalStateException()
                .isThrownBy(() -> new AwsClients(AwsProperties.defaults(), NO_REGION, CREDENTIALS, new SimpleMeterRegistry()))
                .withMessageContaining("spectra.aws.region")
                .withMessageContaining("AWS_REGION")
                .withMessageContaining("Unable to load region");
    }

    @Test
    void usesTheSdksDefaultCredentialsChain() {
        try (AwsClients aws = AwsClients.create(new AwsProperties("us-east-1", null, false, null, null), new SimpleMeterRegistry())) {
            assertThat(aws.credentials()).isInstanceOf(DefaultCredentialsProvider.class);
        }
    }

    @Test
    void givesAClientItsServicesEndpointTimeoutsAndCallMetrics() {
        AwsProperties properties = new AwsProperties("eu-west-1", Map.of(AwsService.DYNAMODB, URI.create("http://127.0.0.1:8000")), false,
                Map.of(AwsService.DYNAMODB, Duration.ofSeconds(4)), Map.of(AwsService.DYNAMODB, Duration.ofMillis(1500)));
        AwsClients aws = new AwsClients(properties, NO_REGION, CREDENTIALS, new SimpleMeterRegistry());

        try (DynamoDbClient client = aws.configure(DynamoDbClient.builder(), AwsService.DYNAMODB, Retries.BY_SDK).build()) {
            ClientOverrideConfiguration override = client.serviceClientConfiguration().overrideConfiguration();
            assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:8000"));
            assertThat(client.serviceClientConfiguration().credentialsProvider()).isSameAs(CREDENTIALS);
            assertThat(override.apiCallTimeout()).contains(Duration.ofSeconds(4));
            assertThat(override.apiCallAttemptTimeout()).contains(Duration.ofMillis(1500));
            assertThat(override.executionInterceptors()).hasAtLeastOneElementOfType(AwsCallMetrics.class);
            assertThat(override.retryStrategy()).hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isGreaterThan(1));
        }
    }

    @Test
    void leavesRetryingToTheCallerWhenAsked() {
        AwsClients aws = new AwsClients(new AwsProperties("eu-west-1", null, false, null, null), NO_REGION, CREDENTIALS, new SimpleMeterRegistry());

        try (DynamoDbClient client = aws.configure(DynamoDbClient.builder(), AwsService.DYNAMODB, Retries.BY_CALLER).build()) {
            assertThat(client.serviceClientConfiguration().overrideConfiguration().retryStrategy())
                    .hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isEqualTo(1));
            assertThat(client.serviceClientConfiguration().endpointOverride()).isEmpty();
        }
    }
}
