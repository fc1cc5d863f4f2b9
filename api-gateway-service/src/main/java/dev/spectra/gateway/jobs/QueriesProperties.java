package dev.spectra.gateway.jobs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The statement API's limits.
 *
 * @param maxTimeout        the longest a job may take from its submission, for a tenant whose registry entry has no
 *                          {@code max_timeout_seconds}; also the timeout of a job that asks for none. Default 15m
 * @param pageTokenSecret   the key that signs list page tokens (at least 32 characters), the same on every gateway
 *                          replica so that a token from one is honoured by another; unset, each gateway signs with a
 *                          random key of its own, and its tokens fail elsewhere and after a restart
 * @param defaultListLimit  jobs on a list page when the client does not say, default 50
 * @param maxListLimit      the most jobs a client may ask for on one page, default 500
 * @param maxWatchesPerTenant waits ({@code wait_seconds}) and event streams one tenant may have open on one gateway
 *                          at once; one more is a 429. Default 100
 * @param waitFallbackRead  how often a wait or an event stream reads its job in case an event was lost, default 2s
 */
@Validated
@ConfigurationProperties("spectra.gateway.queries")
public record QueriesProperties(
        @NotNull @DurationMin(seconds = 1) @DefaultValue("15m") Duration maxTimeout,
        String pageTokenSecret,
        @Min(1) @DefaultValue("50") int defaultListLimit,
        @Min(1) @Max(1000) @DefaultValue("500") int maxListLimit,
        @Min(1) @DefaultValue("100") int maxWatchesPerTenant,
        @NotNull @DurationMin(millis = 100) @DefaultValue("2s") Duration waitFallbackRead) {

    public QueriesProperties {
        if (pageTokenSecret != null && pageTokenSecret.length() < 32) {
            throw new IllegalArgumentException("spectra.gateway.queries.page-token-secret must be at least 32 characters");
        }
        if (defaultListLimit > maxListLimit) {
            throw new IllegalArgumentException("spectra.gateway.queries.default-list-limit must not exceed max-list-limit");
        }
    }

    /** Secrets never reach logs. */
    @Override
    public String toString() {
        return "QueriesProperties[maxTimeout=" + maxTimeout + ", pageTokenSecret=" + (pageTokenSecret == null ? "unset" : "set")
                + ", defaultListLimit=" + defaultListLimit + ", maxListLimit=" + maxListLimit
                + ", maxWatchesPerTenant=" + maxWatchesPerTenant + ", waitFallbackRead=" + waitFallbackRead + "]";
    }
}
