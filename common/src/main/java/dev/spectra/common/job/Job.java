package dev.spectra.common.job;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static java.util.Objects.requireNonNull;

/**
 * A job as stored in the job table. Immutable: every change returns a copy, and the job table writes
 * that copy with a compare-and-set on {@link #version()}.
 *
 * @param databaseUser the tenant's warehouse user, resolved by the gateway from the tenant registry
 * @param maxConcurrentQueries the tenant's concurrency as the registry said at submission; null for the query
 *                     worker's default (a tenant without one, or a job written before jobs carried it)
 * @param statementId  the Data API statement id, set before the statement is tracked; null until then
 * @param rowCount     rows in the result, once known
 * @param error        why the job ended without a result; null otherwise
 * @param resultJson   the inline result document, once delivered
 * @param lease        who may work on the job and until when, while it is not terminal; null once it ended.
 *                     A worker renews its lease while it works; a sweeper takes over a job whose lease
 *                     expired (its worker died or froze). A QUEUED job starts with an unowned lease whose
 *                     expiry is the deadline for its first claim.
 */
public record Job(
        TenantId tenantId,
        JobId jobId,
        JobStatus status,
        long version,
        String sql,
        String databaseUser,
        Integer maxConcurrentQueries,
        Instant submittedAt,
        Instant updatedAt,
        Instant expiresAt,
        String statementId,
        Long rowCount,
        JobError error,
        String resultJson,
        Lease lease) {

    /** How long a new job waits for the worker its message goes to before any worker's sweeper takes it. */
    public static final Duration FIRST_CLAIM_WITHIN = Duration.ofSeconds(30);

    /**
     * Who holds a job and until when.
     *
     * @param owner     the worker's id; null for a new job nobody claimed yet
     * @param expiresAt when the lease lapses unless renewed
     */
    public record Lease(String owner, Instant expiresAt) {
        public Lease {
            requireNonNull(expiresAt, "expiresAt is null");
            expiresAt = expiresAt.truncatedTo(ChronoUnit.MILLIS);
            if (owner != null && owner.isBlank()) {
                throw new IllegalArgumentException("owner is blank");
            }
        }

        public boolean isExpired(Instant now) {
            return !now.isBefore(expiresAt);
        }

        public boolean isHeldBy(String worker) {
            return worker.equals(owner);
        }
    }

    public Job {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(jobId, "jobId is null");
        requireNonNull(status, "status is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(databaseUser, "databaseUser is null");
        Tenant.requireValidConcurrency(maxConcurrentQueries);
        requireNonNull(submittedAt, "submittedAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
        // One precision for every writer, so timestamps compare and render alike whoever wrote them.
        submittedAt = submittedAt.truncatedTo(ChronoUnit.MILLIS);
        updatedAt = updatedAt.truncatedTo(ChronoUnit.MILLIS);
        expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive: " + version);
        }
        if (status.isTerminal()) {
            // An ended job belongs to nobody; it also leaves the table's index of active jobs.
            lease = null;
        } else {
            requireNonNull(lease, "a job that has not ended needs a lease");
        }
    }

    /** A new job of a tenant on the query worker's default concurrency. */
    public static Job queued(TenantId tenantId, JobId jobId, String sql, String databaseUser, Instant now, Duration retention) {
        return queued(tenantId, jobId, sql, databaseUser, null, now, retention);
    }

    /** A new job; {@code maxConcurrentQueries} as the tenant registry says, null for the worker's default. */
    public static Job queued(TenantId tenantId, JobId jobId, String sql, String databaseUser, Integer maxConcurrentQueries,
            Instant now, Duration retention) {
        return new Job(tenantId, jobId, JobStatus.QUEUED, 1, sql, databaseUser, maxConcurrentQueries, now, now, now.plus(retention),
                null, null, null, null, new Lease(null, now.plus(FIRST_CLAIM_WITHIN)));
    }

    /** A copy in state {@code to}; throws if the transition table does not allow it. */
    public Job transitionTo(JobStatus to, Instant now) {
        if (!JobStatus.isAllowedTransition(status, to)) {
            throw new IllegalJobTransitionException(jobId, status, to);
        }
        return new Job(tenantId, jobId, to, version, sql, databaseUser, maxConcurrentQueries, submittedAt, now, expiresAt,
                statementId, rowCount, error, resultJson, lease);
    }

    /** A copy that ended in {@code terminal} (FAILED, CANCELLED or TIMED_OUT) for the given reason. */
    public Job endWith(JobStatus terminal, JobError reason, Instant now) {
        requireNonNull(reason, "reason is null");
        if (!terminal.isTerminal() || terminal == JobStatus.SUCCEEDED) {
            throw new IllegalArgumentException("not an unsuccessful ending: " + terminal);
        }
        return transitionTo(terminal, now).withError(reason);
    }

    public Job succeeded(long rows, String result, Instant now) {
        requireNonNull(result, "result is null");
        Job done = transitionTo(JobStatus.SUCCEEDED, now);
        return new Job(tenantId, jobId, done.status, version, sql, databaseUser, maxConcurrentQueries, submittedAt, now, expiresAt,
                statementId, rows, error, result, lease);
    }

    public Job withStatementId(String id, Instant now) {
        requireNonNull(id, "id is null");
        return new Job(tenantId, jobId, status, version, sql, databaseUser, maxConcurrentQueries, submittedAt, now, expiresAt,
                id, rowCount, error, resultJson, lease);
    }

    public Job withRowCount(long rows) {
        return new Job(tenantId, jobId, status, version, sql, databaseUser, maxConcurrentQueries, submittedAt, updatedAt, expiresAt,
                statementId, rows, error, resultJson, lease);
    }

    Job withVersion(long newVersion) {
        return new Job(tenantId, jobId, status, newVersion, sql, databaseUser, maxConcurrentQueries, submittedAt, updatedAt, expiresAt,
                statementId, rowCount, error, resultJson, lease);
    }

    private Job withError(JobError reason) {
        return new Job(tenantId, jobId, status, version, sql, databaseUser, maxConcurrentQueries, submittedAt, updatedAt, expiresAt,
                statementId, rowCount, reason, resultJson, lease);
    }

    /** A copy held by {@code owner} until {@code until}: a claim, a renewal or a takeover, written with a compare-and-set. */
    public Job leasedTo(String owner, Instant until) {
        requireNonNull(owner, "owner is null");
        if (status.isTerminal()) {
            throw new IllegalStateException("job " + jobId + " ended " + status + "; it cannot be leased");
        }
        return new Job(tenantId, jobId, status, version, sql, databaseUser, maxConcurrentQueries, submittedAt, updatedAt, expiresAt,
                statementId, rowCount, error, resultJson, new Lease(owner, until));
    }

    /** Whether {@code worker} holds an unexpired lease on the job at {@code now}. */
    public boolean isLeasedBy(String worker, Instant now) {
        return lease != null && lease.isHeldBy(worker) && !lease.isExpired(now);
    }

    public boolean hasStatement() {
        return statementId != null;
    }
}
