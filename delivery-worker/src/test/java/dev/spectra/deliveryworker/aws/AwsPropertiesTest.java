package dev.spectra.deliveryworker.aws;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class AwsPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @Test
    void bindsDefaults() {
        context.run(context -> assertThat(context.getBean(AwsProperties.class))
                .isEqualTo(new AwsProperties("us-east-1", new AwsProperties.Endpoints(null, null, null), false)));
    }

    @Test
    void bindsOverrides() {
        context.withPropertyValues(
                        "spectra.aws.region=eu-west-1",
                        "spectra.aws.endpoints.dynamodb=http://localhost:8000",
                        "spectra.aws.endpoints.s3=http://localhost:9090",
                        "spectra.aws.endpoints.redshift-data=http://localhost:8089",
                        "spectra.aws.s3-path-style=true")
                .run(context -> assertThat(context.getBean(AwsProperties.class)).isEqualTo(new AwsProperties("eu-west-1",
                        new AwsProperties.Endpoints(URI.create("http://localhost:8000"), URI.create("http://localhost:9090"),
                                URI.create("http://localhost:8089")),
                        true)));
    }

    @Test
    void treatsEmptyEndpointAsRealAws() {
        context.withPropertyValues("spectra.aws.endpoints.s3=")
                .run(context -> assertThat(context.getBean(AwsProperties.class).endpoints().s3Override()).isEmpty());
    }

    @EnableConfigurationProperties(AwsProperties.class)
    static class Binding {}
}
