package dev.spectra.deliveryworker.config;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import static java.util.Objects.requireNonNull;

/**
 * Where results go: chunk files and manifests, and what the warehouse's UNLOAD writes.
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
