package dev.spectra.deliveryworker.config;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import static java.util.Objects.requireNonNull;

/**
 * Where exported results go. Nothing is exported yet: results larger than the inline limit fail with
 * RESULT_TOO_LARGE until S3 export lands; the bucket is bound now so deployments can provision it.
 *
 * @param bucket objects are written under {@code tenant=<id>/job=<id>/}
 */
@ConfigurationProperties("spectra.results")
@Validated
public record ResultsProperties(
        @DefaultValue("spectra-results") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") String bucket) {

    public ResultsProperties {
        requireNonNull(bucket, "bucket is null");
    }
}
