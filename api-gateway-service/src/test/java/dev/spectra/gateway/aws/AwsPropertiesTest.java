package dev.spectra.gateway.aws;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import java.net.URI;
import java.time.Duration;

import static dev.spectra.gateway.support.PropertiesBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;

class AwsPropertiesTest {

    @EnableConfigurationProperties(AwsProperties.class)
    static class Binding {
    }

    @Test
    void bindsDefaultsThatMeanRealAws() {
        AwsProperties aws = bind(Binding.class, AwsProperties.class);

        assertThat(aws.region()).isEqualTo("us-east-1");
        assertThat(aws.endpoints().dynamodbOverride()).isEmpty();
        assertThat(aws.endpoints().s3Override()).isEmpty();
        assertThat(aws.apiCallTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(aws.s3PathStyle()).isFalse();
    }

    @Test
    void bindsOverridesAsTheLocalStackPassesThem() {
        AwsProperties aws = bind(Binding.class, AwsProperties.class,
                "spectra.aws.region=eu-central-1",
                "spectra.aws.endpoints.dynamodb=http://127.0.0.1:8000",
                "spectra.aws.endpoints.s3=http://127.0.0.1:9090",
                "spectra.aws.api-call-timeout=2s",
                "spectra.aws.s3-path-style=true");

        assertThat(aws.region()).isEqualTo("eu-central-1");
        assertThat(aws.endpoints().dynamodbOverride()).contains(URI.create("http://127.0.0.1:8000"));
        assertThat(aws.endpoints().s3Override()).contains(URI.create("http://127.0.0.1:9090"));
        assertThat(aws.s3PathStyle()).isTrue();
        assertThat(aws.apiCallTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void treatsAnEmptyEndpointAsRealAws() {
        AwsProperties aws = bind(Binding.class, AwsProperties.class, "spectra.aws.endpoints.dynamodb=", "spectra.aws.endpoints.s3=");

        assertThat(aws.endpoints().dynamodbOverride()).isEmpty();
        assertThat(aws.endpoints().s3Override()).isEmpty();
    }
}
