package dev.spectra.gateway.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the gateway accepts and records queries ({@code spectra.gateway.*}).
 *
 * @param maxRequestSize  largest request body read, default 1MB (room for a maximal SQL text, JSON-escaped)
 * @param maxSqlLength    longest SQL text accepted, in characters, default 100000
 * @param sqlParseTimeout how long the SQL guard may parse one text before giving up, default 2s
 * @param jobRetention    how long a job record is kept (the job table's TTL), default 7d
 * @param tenantCacheTtl  how long a tenant registry answer, including "no such tenant", is reused, default 30s
 */
@Validated
@ConfigurationProperties("spectra.gateway")
public record GatewayProperties(
        @NotNull @DefaultValue("1MB") DataSize maxRequestSize,
        @Min(1) @Max(10_000_000) @DefaultValue("100000") int maxSqlLength,
        @NotNull @DurationMin(millis = 1) @DefaultValue("2s") Duration sqlParseTimeout,
        @NotNull @DurationMin(minutes = 1) @DefaultValue("7d") Duration jobRetention,
        @NotNull @DurationMin(millis = 1) @DefaultValue("30s") Duration tenantCacheTtl) {

    public GatewayProperties {
        if (maxRequestSize != null && (maxRequestSize.toBytes() < 1 || maxRequestSize.toBytes() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("max-request-size must be between 1B and 2GB: " + maxRequestSize);
        }
    }
}
