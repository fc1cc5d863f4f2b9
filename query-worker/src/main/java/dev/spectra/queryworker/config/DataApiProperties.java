package dev.spectra.queryworker.config;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How fast one worker may call the Data API ({@code spectra.data-api.*}). The Data API's quotas are per
 * account and region, shared by the whole fleet, so each worker's rates are its share: set them to the
 * account's quota divided by the number of workers (and what else uses the account). Calls beyond the rate
 * wait on the job's virtual thread instead of being throttled by the service.
 *
 * @param executesPerSecond  ExecuteStatement calls per second, default 20
 * @param describesPerSecond DescribeStatement calls per second, default 80
 * @param othersPerSecond    CancelStatement and ListStatements calls per second, default 10
 * @param maxConnections     HTTP connections to the Data API, default 128; more than
 *                           {@code spectra.statements.max-long-polls}, since each long poll holds one
 */
@Validated
@ConfigurationProperties("spectra.data-api")
public record DataApiProperties(
        @Min(1) @DefaultValue("20") int executesPerSecond,
        @Min(1) @DefaultValue("80") int describesPerSecond,
        @Min(1) @DefaultValue("10") int othersPerSecond,
        @Min(1) @DefaultValue("128") int maxConnections) {
}
