package dev.spectra.common.aws;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AwsPropertiesTest {

    @Test
    void defaultsToTheRegionChainRealEndpointsAndEachServicesTimeouts() {
        AwsProperties aws = AwsProperties.defaults();

        assertThat(aws.configuredRegion()).isEmpty();
        assertThat(aws.endpoints()).isEmpty();
        assertThat(aws.s3PathStyle()).isFalse();
        assertThat(aws.apiCallTimeout()).isEqualTo(Map.of(
                AwsService.DYNAMODB, Duration.ofSeconds(5), AwsService.S3, Duration.ofSeconds(60), AwsService.REDSHIFT_DATA, Duration.ofSeconds(30)));
        assertThat(aws.apiCallAttemptTimeout()).isEqualTo(Map.of(
                AwsService.DYNAMODB, Duration.ofSeconds(2), AwsService.S3, Duration.ofSeconds(20), AwsService.REDSHIFT_DATA, Duration.ofSeconds(15)));
    }

    @Test
    void treatsABlankRegionAsUnset() {
        assertThat(new AwsProperties("  ", null, false, null, null).configuredRegion()).isEmpty();
        assertThat(new AwsProperties("eu-west-1", null, false, null, null).configuredRegion()).contains("eu-west-1");
    }

    @Test
    void keepsTheDefaultsOfTimeoutsNotSet() {
        AwsProperties aws = new AwsProperties(null, null, false,
                Map.of(AwsService.S3, Duration.ofMinutes(2)), Map.of(AwsService.DYNAMODB, Duration.ofMillis(500)));

        assertThat(aws.apiCallTimeout(AwsService.S3)).isEqualTo(Duration.ofMinutes(2));
        assertThat(aws.apiCallAttemptTimeout(AwsService.S3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(aws.apiCallAttemptTimeout(AwsService.DYNAMODB)).isEqualTo(Duration.ofMillis(500));
        assertThat(aws.apiCallTimeout(AwsService.DYNAMODB)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void treatsAnEmptyEndpointAsTheRealOne() {
        AwsProperties aws = new AwsProperties(null, Map.of(AwsService.S3, URI.create(""), AwsService.DYNAMODB, URI.create("http://127.0.0.1:8000")),
                false, null, null);

        assertThat(aws.endpoint(AwsService.S3)).isEmpty();
        assertThat(aws.endpoint(AwsService.DYNAMODB)).contains(URI.create("http://127.0.0.1:8000"));
        assertThat(aws.endpoint(AwsService.REDSHIFT_DATA)).isEmpty();
    }

    @Test
    void refusesAnAttemptLongerThanItsCall() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AwsProperties(null, null, false, null, Map.of(AwsService.DYNAMODB, Duration.ofSeconds(6))))
                .withMessageContaining("spectra.aws.api-call-attempt-timeout.dynamodb")
                .withMessageContaining("spectra.aws.api-call-timeout.dynamodb");
    }

    @Test
    void refusesATimeoutThatIsNotPositive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AwsProperties(null, null, false, Map.of(AwsService.REDSHIFT_DATA, Duration.ZERO), null))
                .withMessageContaining("spectra.aws.api-call-timeout.redshift-data");
    }
}
