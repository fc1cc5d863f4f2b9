package dev.spectra.common.job;

import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.ResultSummary;
import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;

import java.nio.charset.StandardCharsets;
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
 * @param delivery     how the client asked for the result (disposition, format, compression, limits)
 * @param options      the client's name, tags, timeout and parameters for the statement
 * @param maxResultBytes the tenant's result limit as the registry said at submission; null for the delivery
 *                     worker's default
 * @param statementId  the Data API statement id, set before the statement is tracked; null until then
 * @param rowCount     rows in the result, once known
 * @param error        why the job ended without a result; null otherwise
 * @param resultJson   the whole result document when it is small enough to live on the item
 *                     ({@code {"columns":[...],"rows":[...],"row_count":N}}); null otherwise
 * @param result       what was delivered, once SUCCEEDED; the result itself is in the results bucket
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
        DeliveryOptions delivery,
        JobOptions options,
        Long maxResultBytes,
        Instant submittedAt,
        Instant updatedAt,
        Instant expiresAt,
        String statementId,
        Long rowCount,
        JobError error,
        String resultJson,
        ResultSummary result,
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

        /** How a delivery worker's id starts; a query worker's never does. */
        public static final String DELIVERY_WORKER_PREFIX = "delivery/";

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
        requireNonNull(delivery, "delivery is null");
        requireNonNull(options, "options is null");
        if (maxResultBytes != null && maxResultBytes < 1) {
            throw new IllegalArgumentException("maxResultBytes must be positive: " + maxResultBytes);
        }
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

    /** A new job of a tenant on the workers' defaults, its result delivered as the client did not say otherwise. */
    public static Job queued(TenantId tenantId, JobId jobId, String sql, String databaseUser, Instant now, Duration retention) {
        return queued(tenantId, jobId, sql, databaseUser, null, DeliveryOptions.DEFAULT, JobOptions.NONE, null, now, retention);
    }

    /** A new job; {@code maxConcurrentQueries} as the tenant registry says, null for the worker's default. */
    public static Job queued(TenantId tenantId, JobId jobId, String sql, String databaseUser, Integer maxConcurrentQueries,
            Instant now, Duration retention) {
        return queued(tenantId, jobId, sql, databaseUser, maxConcurrentQueries, DeliveryOptions.DEFAULT, JobOptions.NONE, null, now, retention);
    }

    /**
     * A new job, with what the tenant registry says of its tenant ({@code maxConcurrentQueries}, {@code maxResultBytes}:
     * null for the workers' defaults), how the client wants its result, and what else it said of the statement.
     */
    public static Job queued(TenantId tenantId, JobId jobId, String sql, String databaseUser, Integer maxConcurrentQueries,
            DeliveryOptions delivery, JobOptions options, Long maxResultBytes, Instant now, Duration retention) {
        return new Job(tenantId, jobId, JobStatus.QUEUED, 1, sql, databaseUser, maxConcurrentQueries, delivery, options, maxResultBytes,
                now, now, now.plus(retention), null, null, null, null, null, new Lease(null, now.plus(FIRST_CLAIM_WITHIN)));
    }

    /** A copy in state {@code to}; throws if the transition table does not allow it. */
    public Job transitionTo(JobStatus to, Instant now) {
        if (!JobStatus.isAllowedTransition(status, to)) {
            throw new IllegalJobTransitionException(jobId, status, to);
        }
        return new Job(tenantId, jobId, to, version, sql, databaseUser, maxConcurrentQueries, delivery, options, maxResultBytes, submittedAt, now, expiresAt,
                statementId, rowCount, error, resultJson, result, lease);
    }

    /** A copy that ended in {@code terminal} (FAILED, CANCELLED or TIMED_OUT) for the given reason. */
    public Job endWith(JobStatus terminal, JobError reason, Instant now) {
        requireNonNull(reason, "reason is null");
        if (!terminal.isTerminal() || terminal == JobStatus.SUCCEEDED) {
            throw new IllegalArgumentException("not an unsuccessful ending: " + terminal);
        }
        return transitionTo(terminal, now).withError(reason);
    }

    /**
     * A copy that SUCCEEDED with {@code delivered}.
     *
     * @param document the whole result document when it lives on the item ({@link ResultSummary#onItem()}), else null
     */
    public Job succeeded(ResultSummary delivered, String document, Instant now) {
        requireNonNull(delivered, "delivered is null");
        if (delivered.onItem() != (document != null)) {
            throw new IllegalArgumentException("a result lives either on the item (with its document) or in the results bucket");
        }
        Job done = transitionTo(JobStatus.SUCCEEDED, now);
        return new Job(tenantId, jobId, done.status, version, sql, databaseUser, maxConcurrentQueries, delivery, options, maxResultBytes,
                submittedAt, now, expiresAt, statementId, delivered.rowCount(), error, document, delivered, lease);
    }

    /** A copy that SUCCEEDED with its whole result document of {@code rows} rows on the item. */
    public Job succeeded(long rows, String document, Instant now) {
        requireNonNull(document, "document is null");
        return succeeded(ResultSummary.onItem(rows, document.getBytes(StandardCharsets.UTF_8).length, false),
                document, now);
    }

    public Job withStatementId(String id, Instant now) {
        requireNonNull(id, "id is null");
        return new Job(tenantId, jobId, status, version, sql, databaseUser, maxConcurrentQueries, delivery, options, maxResultBytes, submittedAt, now, expiresAt,
                id, rowCount, error, resultJson, result, lease);
    }

    public Job withRowCount(long rows) {
        return new Job(tenantId, jobId, status, version, sql, databaseUser, maxConcurrentQueries, delivery, options, maxResultBytes, submittedAt, updatedAt, expiresAt,
                statementId, rows, error, resultJson, result, lease);
    }

    Job withVersion(long newVersion) {
        return new Job(tenantId, jobId, status, newVersion, sql, databaseUser, maxConcurrentQueries, delivery, options, maxResultBytes, submittedAt, updatedAt, expiresAt,
                statementId, rowCount, error, resultJson, result, lease);
    }

    private Job withError(JobError reason) {
        return new Job(tenantId, jobId, status, version, sql, databaseUser, maxConcurrentQueries, delivery, options, maxResultBytes, submittedAt, updatedAt, expiresAt,
                statementId, rowCount, reason, resultJson, result, lease);
    }

    /** A copy held by {@code owner} until {@code until}: a claim, a renewal or a takeover, written with a compare-and-set. */
    public Job leasedTo(String owner, Instant until) {
        requireNonNull(owner, "owner is null");
        if (status.isTerminal()) {
            throw new IllegalStateException("job " + jobId + " ended " + status + "; it cannot be leased");
        }
        return new Job(tenantId, jobId, status, version, sql, databaseUser, maxConcurrentQueries, delivery, options, maxResultBytes, submittedAt, updatedAt, expiresAt,
                statementId, rowCount, error, resultJson, result, new Lease(owner, until));
    }

    /** Whether {@code worker} holds an unexpired lease on the job at {@code now}. */
    public boolean isLeasedBy(String worker, Instant now) {
        return lease != null && lease.isHeldBy(worker) && !lease.isExpired(now);
    }

    /**
     * Whether the job is still retained at {@code now}. The table's TTL deletes an expired item only eventually
     * (within days), so readers check the time themselves: an expired job's result is not served.
     */
    public boolean isRetainedAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** Whether a delivery worker holds the lease of this DELIVERING job at {@code now}: its result is being written. */
    public boolean isBeingDelivered(Instant now) {
        return status == JobStatus.DELIVERING && lease != null && lease.owner() != null
                && lease.owner().startsWith(Lease.DELIVERY_WORKER_PREFIX) && !lease.isExpired(now);
    }

    /**
     * When the job ends TIMED_OUT if it has not ended before: its submission plus its own timeout, or plus
     * {@code defaultTimeout} for a job that carries none.
     */
    public Instant deadline(Duration defaultTimeout) {
        return submittedAt.plus(options.timeout() == null ? defaultTimeout : options.timeout());
    }

    /**
     * Whether the warehouse writes the result's files itself ({@code UNLOAD}): when the delivery asks for it
     * ({@link DeliveryOptions#unloaded()}) and the statement has no bound parameter, since UNLOAD takes its query as
     * a string literal, where a marker is not a parameter. A parameterised CSV export is paged out of the Data API.
     */
    public boolean unloads() {
        return delivery.unloaded() && options.boundParameters().isEmpty();
    }

    /** Whether the statement runs with the Data API's {@code ResultFormat: CSV}: a CSV result not unloaded. */
    public boolean csvFromDataApi() {
        return delivery.format() == dev.spectra.common.result.ResultFormat.CSV && !unloads();
    }

    public boolean hasStatement() {
        return statementId != null;
    }
}
