package dev.spectra.queryworker.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;

import static java.util.Objects.requireNonNull;

/**
 * AWS region and endpoint overrides. Credentials come from the SDK's default provider chain.
 *
 * @param endpoints endpoint overrides; absent (or empty) means the real AWS endpoint of the region
 */
@Validated
@ConfigurationProperties("spectra.aws")
public record AwsProperties(
        @NotBlank @DefaultValue("us-east-1") String region,
        @DefaultValue Endpoints endpoints) {

    public AwsProperties {
        requireNonNull(endpoints, "endpoints is null");
    }

    /**
     * @param dynamodb     the job table's endpoint (DynamoDB Local on the local stack)
     * @param redshiftData the Data API's endpoint (the emulator on the local stack)
     */
    public record Endpoints(URI dynamodb, URI redshiftData) {

        public Endpoints {
            dynamodb = emptyToNull(dynamodb);
            redshiftData = emptyToNull(redshiftData);
        }

        private static URI emptyToNull(URI uri) {
            return uri == null || uri.toString().isBlank() ? null : uri;
        }
    }
}
