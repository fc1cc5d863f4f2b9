package dev.spectra.gateway.aws;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the AWS services are ({@code spectra.aws.*}). Credentials come from the SDK's default
 * provider chain, never from here.
 *
 * @param region         default us-east-1
 * @param endpoints      endpoint overrides; absent or empty means the real AWS endpoint
 * @param apiCallTimeout the longest one AWS call may take, retries included, default 5s: a request
 *                       waiting on a stuck call would otherwise hold its client until the read timeout
 */
@Validated
@ConfigurationProperties("spectra.aws")
public record AwsProperties(
        @NotBlank @DefaultValue("us-east-1") String region,
        @Valid @NotNull @DefaultValue Endpoints endpoints,
        @NotNull @DurationMin(millis = 1) @DefaultValue("5s") Duration apiCallTimeout) {

    /** @param dynamodb e.g. {@code http://localhost:8000} for DynamoDB Local */
    public record Endpoints(URI dynamodb) {

        public Optional<URI> dynamodbOverride() {
            return dynamodb == null || dynamodb.toString().isBlank() ? Optional.empty() : Optional.of(dynamodb);
        }
    }
}
