package dev.spectra.queryworker.config;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * This worker's Data API sessions ({@code spectra.sessions.*}), kept warm per database user.
 *
 * <p>There is no cap per database user: a running statement holds exactly one session, so the scheduler's
 * limit per tenant ({@code max_concurrent_queries}, or {@code spectra.scheduling.max-running-per-tenant})
 * already bounds a tenant's sessions, and a job admitted by the scheduler never waits for its own user.
 *
 * <p>Unknown keys under {@code spectra.sessions} stop the worker at start: {@code max-per-user},
 * {@code max-waiting-per-user} and {@code max-wait} are gone, and a deployment still setting them should hear so.
 *
 * @param maxOpen      sessions this worker holds in the warehouse at once: running a statement, idle, or
 *                     forgotten (refused, abandoned) until their keep-alive ends. A borrow beyond it waits,
 *                     first come first served, until one lapses. Default 200: a provisioned cluster allows
 *                     500 connections on most node types (2000 on large RA3 and on serverless), and the whole
 *                     fleet shares them with every other client, so set it to about (the warehouse's limit
 *                     less what other clients need) divided by the fleet's size; 200 fits two workers and 100
 *                     other connections under 500. It must be at least {@code spectra.scheduling.max-running}
 * @param keepAlive    {@code SessionKeepAliveSeconds}, and so the idle timeout: the Data API has no call that
 *                     closes a session, the warehouse closes it this long after its last statement finished
 *                     (at most 24 hours). At {@code max-open} it is the longest a borrow waits for another
 *                     user's idle session to go away
 * @param expiryMargin an idle session is not lent out once less than this is left of its keep-alive,
 *                     so that a statement never races the session's expiry; it still counts until it ends
 */
@Validated
@ConfigurationProperties(prefix = "spectra.sessions", ignoreUnknownFields = false)
public record SessionsProperties(
        @Min(1) @DefaultValue("200") int maxOpen,
        @DefaultValue("10m") Duration keepAlive,
        @DefaultValue("30s") Duration expiryMargin) {

    private static final Duration MAX_KEEP_ALIVE = Duration.ofHours(24);

    public SessionsProperties {
        requireNonNull(keepAlive, "keepAlive is null");
        requireNonNull(expiryMargin, "expiryMargin is null");
        if (maxOpen < 1) {
            throw new IllegalArgumentException("spectra.sessions.max-open must be positive: " + maxOpen);
        }
        if (keepAlive.toSeconds() < 1 || keepAlive.compareTo(MAX_KEEP_ALIVE) > 0) {
            throw new IllegalArgumentException("spectra.sessions.keep-alive must be between 1s and 24h: " + keepAlive);
        }
        if (expiryMargin.isNegative() || expiryMargin.compareTo(keepAlive) >= 0) {
            throw new IllegalArgumentException("spectra.sessions.expiry-margin must be at least 0 and less than the keep-alive");
        }
    }

    public int keepAliveSeconds() {
        return Math.toIntExact(keepAlive.toSeconds());
    }
}
