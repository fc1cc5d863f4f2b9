package dev.spectra.local;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * What one tenant's database user may take from the shared warehouse, set on the role at provisioning so
 * that every session of the tenant starts with it.
 *
 * @param statementTimeout                 the warehouse cancels a statement running longer
 * @param tempFileLimitKilobytes           temporary file space one session may use (sorts, hashes); a
 *                                         superuser-only setting, so a tenant cannot raise it
 * @param idleInTransactionSessionTimeout  a session left idle inside a transaction is ended
 * @param connectionLimit                  sessions of the user at once
 */
public record TenantLimits(Duration statementTimeout, long tempFileLimitKilobytes,
                           Duration idleInTransactionSessionTimeout, int connectionLimit) {

    /** Generous for a laptop, small enough that one tenant cannot occupy the warehouse for long. */
    public static final TenantLimits DEFAULTS = new TenantLimits(
            Duration.ofMinutes(5), 1024 * 1024, Duration.ofMinutes(1), 32);

    public TenantLimits {
        requireNonNull(statementTimeout, "statementTimeout is null");
        requireNonNull(idleInTransactionSessionTimeout, "idleInTransactionSessionTimeout is null");
        requirePositiveMillis(statementTimeout, "statementTimeout");
        requirePositiveMillis(idleInTransactionSessionTimeout, "idleInTransactionSessionTimeout");
        if (tempFileLimitKilobytes < 1) {
            throw new IllegalArgumentException("tempFileLimitKilobytes must be positive, was " + tempFileLimitKilobytes);
        }
        if (connectionLimit < 1) {
            throw new IllegalArgumentException("connectionLimit must be positive, was " + connectionLimit);
        }
    }

    public TenantLimits withStatementTimeout(Duration timeout) {
        return new TenantLimits(timeout, tempFileLimitKilobytes, idleInTransactionSessionTimeout, connectionLimit);
    }

    private static void requirePositiveMillis(Duration duration, String name) {
        // PostgreSQL reads 0 as "no limit"; anything under a millisecond would round to it
        if (duration.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, was " + duration);
        }
    }
}
