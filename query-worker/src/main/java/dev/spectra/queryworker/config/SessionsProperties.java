package dev.spectra.queryworker.config;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Warm Data API sessions, kept per database user.
 *
 * @param maxPerUser        sessions one database user may hold open at once; statements beyond it wait
 * @param keepAlive         {@code SessionKeepAliveSeconds}: how long the warehouse keeps an idle session
 *                          after its last statement finished (the Data API allows at most 24 hours)
 * @param expiryMargin      an idle session is not lent out once less than this is left of its keep-alive,
 *                          so that a statement never races the session's expiry
 * @param maxWaitingPerUser statements of one database user that may wait for a session; more are refused
 *                          (and retried like any other warehouse overload)
 * @param maxWait           how long a statement waits for a session before it is refused
 */
@Validated
@ConfigurationProperties("spectra.sessions")
public record SessionsProperties(
        @Min(1) @DefaultValue("4") int maxPerUser,
        @DefaultValue("10m") Duration keepAlive,
        @DefaultValue("30s") Duration expiryMargin,
        @Min(0) @DefaultValue("100") int maxWaitingPerUser,
        @DefaultValue("2m") Duration maxWait) {

    private static final Duration MAX_KEEP_ALIVE = Duration.ofHours(24);

    public SessionsProperties {
        requireNonNull(keepAlive, "keepAlive is null");
        requireNonNull(expiryMargin, "expiryMargin is null");
        requireNonNull(maxWait, "maxWait is null");
        if (keepAlive.toSeconds() < 1 || keepAlive.compareTo(MAX_KEEP_ALIVE) > 0) {
            throw new IllegalArgumentException("spectra.sessions.keep-alive must be between 1s and 24h: " + keepAlive);
        }
        if (expiryMargin.isNegative() || expiryMargin.compareTo(keepAlive) >= 0) {
            throw new IllegalArgumentException("spectra.sessions.expiry-margin must be at least 0 and less than the keep-alive");
        }
        if (!maxWait.isPositive()) {
            throw new IllegalArgumentException("spectra.sessions.max-wait must be positive: " + maxWait);
        }
    }

    public int keepAliveSeconds() {
        return Math.toIntExact(keepAlive.toSeconds());
    }
}
