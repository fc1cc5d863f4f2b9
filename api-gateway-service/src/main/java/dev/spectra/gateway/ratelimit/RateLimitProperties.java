package dev.spectra.gateway.ratelimit;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-tenant token bucket on query submissions ({@code spectra.gateway.rate-limit.*}).
 *
 * @param capacity        the burst a tenant may submit at once, default 20
 * @param refillPerSecond tokens added back per second, the sustained rate, default 10
 */
@Validated
@ConfigurationProperties("spectra.gateway.rate-limit")
public record RateLimitProperties(
        @Positive @DefaultValue("20") long capacity,
        @Positive @DefaultValue("10") long refillPerSecond) {
}
