package dev.spectra.deliveryworker.aws;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import dev.spectra.deliveryworker.config.DeliveryProperties;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class AwsClientsConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(AwsClientsConfiguration.class, Binding.class);

    @Test
    void pointsClientsAtOverriddenEndpoints() {
        context.withPropertyValues(
                        "spectra.aws.region=eu-west-1",
                        "spectra.aws.endpoints.dynamodb=http://localhost:8000",
                        "spectra.aws.endpoints.s3=http://localhost:9090",
                        "spectra.aws.endpoints.redshift-data=http://localhost:8089",
                        "spectra.aws.s3-path-style=true")
                .run(context -> {
                    assertThat(context.getBean(RedshiftDataClient.class).serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://localhost:8089"));
                    assertThat(context.getBean(DynamoDbClient.class).serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://localhost:8000"));
                    assertThat(context.getBean(S3AsyncClient.class).serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://localhost:9090"));
                    assertThat(context.getBean(S3AsyncClient.class).serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
                });
    }

    @Test
    void usesRegionalEndpointsByDefault() {
        context.run(context -> {
            assertThat(context.getBean(RedshiftDataClient.class).serviceClientConfiguration().endpointOverride()).isEmpty();
            assertThat(context.getBean(RedshiftDataClient.class).serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
        });
    }

    @EnableConfigurationProperties({AwsProperties.class, DeliveryProperties.class})
    static class Binding {}
}
