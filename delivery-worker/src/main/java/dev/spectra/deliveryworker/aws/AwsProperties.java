package dev.spectra.deliveryworker.aws;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where the AWS clients connect. Credentials come from the SDK's default provider chain.
 *
 * @param endpoints   overrides for the local stack; absent means the real regional endpoint
 * @param s3PathStyle S3 emulators serve {@code host/bucket/key} rather than {@code bucket.host/key}
 */
@ConfigurationProperties("spectra.aws")
@Validated
public record AwsProperties(
        @DefaultValue("us-east-1") @NotBlank String region,
        @DefaultValue @NotNull Endpoints endpoints,
        @DefaultValue("false") boolean s3PathStyle) {

    public AwsProperties {
        requireNonNull(region, "region is null");
        requireNonNull(endpoints, "endpoints is null");
    }

    /** Each one empty or absent for the real AWS endpoint. */
    public record Endpoints(URI dynamodb, URI s3, URI redshiftData) {

        public Endpoints {
            dynamodb = emptyToNull(dynamodb);
            s3 = emptyToNull(s3);
            redshiftData = emptyToNull(redshiftData);
        }

        public Optional<URI> dynamodbOverride() {
            return Optional.ofNullable(dynamodb);
        }

        public Optional<URI> s3Override() {
            return Optional.ofNullable(s3);
        }

        public Optional<URI> redshiftDataOverride() {
            return Optional.ofNullable(redshiftData);
        }

        // An empty command-line value ("--spectra.aws.endpoints.s3=") binds to an empty URI, not null.
        private static URI emptyToNull(URI uri) {
            return uri == null || uri.toString().isBlank() ? null : uri;
        }
    }
}
