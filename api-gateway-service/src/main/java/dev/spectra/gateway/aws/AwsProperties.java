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
 *                       waiting on a stuck call would otherwise hold its client until the read timeout.
 *                       For an S3 download it bounds the wait for the object's first byte, not the transfer
 * @param s3PathStyle    address S3 as {@code host/bucket/key} rather than {@code bucket.host/key}, default
 *                       false; S3 emulators (S3Mock on the local stack) need true, and so do the links the
 *                       gateway signs, which must point where the client can fetch them
 */
@Validated
@ConfigurationProperties("spectra.aws")
public record AwsProperties(
        @NotBlank @DefaultValue("us-east-1") String region,
        @Valid @NotNull @DefaultValue Endpoints endpoints,
        @NotNull @DurationMin(millis = 1) @DefaultValue("5s") Duration apiCallTimeout,
        @DefaultValue("false") boolean s3PathStyle) {

    /**
     * @param dynamodb e.g. {@code http://localhost:8000} for DynamoDB Local
     * @param s3       e.g. S3Mock's {@code http://127.0.0.1:9090}
     */
    public record Endpoints(URI dynamodb, URI s3) {

        public Optional<URI> dynamodbOverride() {
            return override(dynamodb);
        }

        public Optional<URI> s3Override() {
            return override(s3);
        }

        // An empty command-line value ("--spectra.aws.endpoints.s3=") binds to an empty URI, not null.
        private static Optional<URI> override(URI uri) {
            return uri == null || uri.toString().isBlank() ? Optional.empty() : Optional.of(uri);
        }
    }
}
