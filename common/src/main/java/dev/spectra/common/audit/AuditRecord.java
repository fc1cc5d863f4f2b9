package dev.spectra.common.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.tenant.TenantId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * One decision about a request or a job, for the audit trail ({@code spectra.audit}, keyed by tenant, and the
 * {@code spectra.audit} logger): who asked, for which tenant, about which job and which SQL, from where, and what
 * came of it. The shape is documented in docs/AUDIT.md; consumers ignore fields they do not know.
 *
 * <p>Nothing secret and nothing of the tenant's data is in it: no token, no SQL text and no parameter value, only
 * the SQL's SHA-256. Values taken from a request that no token vouched for (a claimed tenant) are cut to a bounded,
 * printable form.
 *
 * @param recordId         unique per record, for de-duplicating a record delivered twice
 * @param operation        what the request asked for ({@code submit}, {@code cancel}, {@code status}, ...); null on
 *                         {@code ENDED}, which no request caused directly
 * @param actor            who the token says made the request; null without a valid token and on {@code ENDED}
 * @param tenant           the tenant, verified or as claimed; null when the request named none
 * @param sqlSha256        the SHA-256 (lower-case hex) of the SQL text exactly as the client sent it, in UTF-8; on
 *                         submissions whose body carried one
 * @param source           the client's address: the connection's peer, or the trusted proxy's
 *                         {@code X-Forwarded-For}; null on {@code ENDED}
 * @param status           the HTTP status answered; null on {@code ENDED}
 * @param errorCode        the problem code of a refusal, or the error code a job ended with
 * @param jobStatus        the job's state after the decision ({@code QUEUED} when accepted, its terminal state once
 *                         ended)
 * @param requestId        the gateway's id of the HTTP request
 * @param traceId          the W3C trace id the decision was taken in, to find its log lines
 * @param idempotentReplay true when an accepted submission was an {@code Idempotency-Key}'s earlier job
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditRecord(
        int schemaVersion,
        String recordId,
        Instant occurredAt,
        Decision decision,
        String operation,
        Actor actor,
        Tenant tenant,
        JobId jobId,
        String sqlSha256,
        String source,
        Integer status,
        String errorCode,
        JobStatus jobStatus,
        String requestId,
        String traceId,
        Boolean idempotentReplay) {

    public static final int SCHEMA_VERSION = 1;

    /** Longest value kept of anything a token or a request chose: a subject, a client id, a claimed tenant. */
    static final int MAX_VALUE_LENGTH = 128;

    /** What was decided. */
    public enum Decision {
        /** A submission was recorded and queued (or replayed for its idempotency key). */
        ACCEPTED,
        /** A request was answered with a problem: nothing it asked for was done. */
        REFUSED,
        /** A client cancelled a job. */
        CANCELLED,
        /** A job reached its terminal state, written by the service that stored it. */
        ENDED
    }

    /**
     * Who the token says made the request.
     *
     * @param subject  the token's {@code sub}
     * @param clientId the OAuth client it was issued to: {@code azp}, else {@code client_id}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Actor(String subject, String clientId) {
        public Actor {
            subject = bounded(subject);
            clientId = bounded(clientId);
        }
    }

    /**
     * The tenant a record is about.
     *
     * @param id       the tenant id; when not verified, the claimed value made safe to print
     * @param verified true when a valid token named this tenant and the tenant is known; false for a claimed
     *                 {@code X-Tenant-ID} that no check vouched for
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tenant(String id, boolean verified) {
        public Tenant {
            requireNonNull(id, "id is null");
        }

        public static Tenant verified(TenantId id) {
            return new Tenant(id.value(), true);
        }

        /**
         * A tenant id as a request claimed it: kept as it is when it is a well-formed tenant id, otherwise made
         * {@linkplain #printable printable}, so that an attacker's header can neither flood the trail nor forge log lines.
         * Null for null.
         */
        public static Tenant claimed(String raw) {
            if (raw == null) {
                return null;
            }
            return new Tenant(TenantId.isValid(raw) ? raw : printable(raw), false);
        }
    }

    public AuditRecord {
        requireNonNull(recordId, "recordId is null");
        requireNonNull(occurredAt, "occurredAt is null");
        requireNonNull(decision, "decision is null");
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A record of {@code decision} now with a fresh id and nothing else yet; the {@code with...} methods add the rest. */
    public static AuditRecord of(Decision decision, Instant now) {
        return new AuditRecord(SCHEMA_VERSION, UUID.randomUUID().toString(), now, decision, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    /** The job reached its terminal state {@code job.status()}, as just stored. */
    public static AuditRecord ended(Job job, Instant now) {
        if (!job.status().isTerminal()) {
            throw new IllegalArgumentException("job " + job.jobId() + " has not ended: " + job.status());
        }
        return of(Decision.ENDED, now)
                .withTenant(Tenant.verified(job.tenantId()))
                .withJob(job.jobId(), job.status())
                .withErrorCode(job.error() == null ? null : job.error().code());
    }

    /** The SHA-256 of {@code sql}'s UTF-8 bytes in lower-case hex: which SQL, without the SQL. */
    public static String sqlFingerprint(String sql) {
        requireNonNull(sql, "sql is null");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public AuditRecord withOperation(String value) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, value, actor, tenant, jobId, sqlSha256, source, status,
                errorCode, jobStatus, requestId, traceId, idempotentReplay);
    }

    public AuditRecord withActor(Actor value) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, operation, value, tenant, jobId, sqlSha256, source, status,
                errorCode, jobStatus, requestId, traceId, idempotentReplay);
    }

    public AuditRecord withTenant(Tenant value) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, operation, actor, value, jobId, sqlSha256, source, status,
                errorCode, jobStatus, requestId, traceId, idempotentReplay);
    }

    /** @param state the job's state after the decision; null when unknown */
    public AuditRecord withJob(JobId id, JobStatus state) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, operation, actor, tenant, id, sqlSha256, source, status,
                errorCode, state, requestId, traceId, idempotentReplay);
    }

    public AuditRecord withSqlSha256(String value) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, operation, actor, tenant, jobId, value, source, status,
                errorCode, jobStatus, requestId, traceId, idempotentReplay);
    }

    public AuditRecord withSource(String value) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, operation, actor, tenant, jobId, sqlSha256, bounded(value),
                status, errorCode, jobStatus, requestId, traceId, idempotentReplay);
    }

    public AuditRecord withStatus(Integer value) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, operation, actor, tenant, jobId, sqlSha256, source, value,
                errorCode, jobStatus, requestId, traceId, idempotentReplay);
    }

    public AuditRecord withErrorCode(String value) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, operation, actor, tenant, jobId, sqlSha256, source, status,
                value, jobStatus, requestId, traceId, idempotentReplay);
    }

    public AuditRecord withRequestId(String value) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, operation, actor, tenant, jobId, sqlSha256, source, status,
                errorCode, jobStatus, bounded(value), traceId, idempotentReplay);
    }

    public AuditRecord withTraceId(String value) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, operation, actor, tenant, jobId, sqlSha256, source, status,
                errorCode, jobStatus, requestId, bounded(value), idempotentReplay);
    }

    public AuditRecord withIdempotentReplay(boolean replayed) {
        return new AuditRecord(schemaVersion, recordId, occurredAt, decision, operation, actor, tenant, jobId, sqlSha256, source, status,
                errorCode, jobStatus, requestId, traceId, replayed ? Boolean.TRUE : null);
    }

    /** The Kafka key: the tenant, so that a tenant's records keep their order; null for a record that names none. */
    public String key() {
        return tenant == null ? null : tenant.id();
    }

    private static String bounded(String value) {
        return value == null ? null : printable(value);
    }

    /** At most {@value #MAX_VALUE_LENGTH} characters of letters, digits, and {@code -_.:@/}, the rest as {@code _}. */
    static String printable(String value) {
        StringBuilder kept = new StringBuilder(Math.min(value.length(), MAX_VALUE_LENGTH));
        value.codePoints().limit(MAX_VALUE_LENGTH).forEach(codePoint -> kept.appendCodePoint(
                codePoint < 128 && (Character.isLetterOrDigit(codePoint) || "-_.:@/".indexOf(codePoint) >= 0) ? codePoint : '_'));
        return kept.toString();
    }
}
