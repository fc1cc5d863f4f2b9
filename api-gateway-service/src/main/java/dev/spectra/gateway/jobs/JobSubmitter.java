package dev.spectra.gateway.jobs;

import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.audit.AuditTrail;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.common.metrics.JobMetrics;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Records an accepted query as a QUEUED job and queues it: job table first, then
 * {@code JobRequested}, then a {@code JobEvent}.
 *
 * <ul>
 *   <li>The job table refuses the write: nothing was recorded and nothing is produced; 503
 *       STORAGE_UNAVAILABLE.</li>
 *   <li>Kafka refuses the request after the job was recorded: no worker will ever see the job, so it
 *       is marked FAILED (INTERNAL_ERROR, compare-and-set) rather than left QUEUED forever; 503.
 *       If that write fails too, the job stays QUEUED, and a query worker's lease sweeper runs it once
 *       its first claim is overdue ({@code Job.FIRST_CLAIM_WITHIN}): the client was told 503 for a job
 *       that then runs. The same sweeper runs a job whose gateway died between the two writes.</li>
 *   <li>The JobEvent is for pipelines; losing it does not undo the submission.</li>
 * </ul>
 * Once started, a submission runs to its end even if the client goes away: stopping between the job
 * write and the queue write is exactly the half-done state to avoid.
 */
public final class JobSubmitter {

    private static final Logger log = LoggerFactory.getLogger(JobSubmitter.class);
    static final String ENQUEUE_FAILED_MESSAGE = "could not enqueue";
    /** The job's fields in structured log lines, named as the workers name them in their logging context. */
    static final String JOB_ID = "jobId";
    static final String TENANT_ID = "tenantId";

    private final JobStore store;
    private final JobQueue queue;
    private final Clock clock;
    private final Duration retention;

    private final Duration defaultMaxTimeout;
    private final AuditTrail audit;
    private final JobMetrics jobMetrics;

    /**
     * @param defaultMaxTimeout a job's longest time for a tenant whose registry entry names none
     * @param audit             where a job this gateway ends (one it could not queue) is recorded as ENDED
     */
    public JobSubmitter(JobStore store, JobQueue queue, Clock clock, Duration retention, Duration defaultMaxTimeout, AuditTrail audit,
            JobMetrics jobMetrics) {
        this.store = requireNonNull(store, "store is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.retention = requireNonNull(retention, "retention is null");
        this.defaultMaxTimeout = requireNonNull(defaultMaxTimeout, "defaultMaxTimeout is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.jobMetrics = requireNonNull(jobMetrics, "jobMetrics is null");
    }

    /**
     * Emits the recorded job once it is queued; fails with a 503 {@link ProblemException} otherwise. The job
     * carries what the registry says of the tenant ({@code database_user}, {@code max_concurrent_queries},
     * {@code max_result_bytes}), so the workers read nothing more, and its timeout resolved: the client's, or the
     * tenant's maximum when it asked for none. A timeout past the tenant's maximum is a 400 naming the maximum.
     */
    public Mono<Job> submit(Tenant tenant, String sql, DeliveryOptions delivery, JobOptions options) {
        return submit(tenant, sql, delivery, options, null, null, submitted -> {}).map(Submitted::job);
    }

    /** A job as a submission left it; {@code replayed}: the idempotency key's earlier job, nothing new was recorded. */
    public record Submitted(Job job, boolean replayed) {
    }

    /**
     * As {@link #submit(Tenant, String, DeliveryOptions, JobOptions)}, under an idempotency key: the first request
     * with the key records the job and the key's record in one transaction; a later one within
     * {@link #IDEMPOTENCY_WINDOW} (or the job's retention, if shorter) gets that job back and queues nothing, or a 422
     * when its request differs ({@code requestHash}). A job that could not be queued gives its key up again, so a
     * retry runs the query.
     *
     * @param key      null for none
     * @param recorded told of the job once it is queued (or replayed), even when the client went away meanwhile: the
     *                 audit record of the acceptance
     */
    public Mono<Submitted> submit(Tenant tenant, String sql, DeliveryOptions delivery, JobOptions options, IdempotencyKey key,
            String requestHash, Consumer<Submitted> recorded) {
        requireNonNull(delivery, "delivery is null");
        requireNonNull(options, "options is null");
        Duration maxTimeout = tenant.maxTimeoutSeconds() == null ? defaultMaxTimeout : Duration.ofSeconds(tenant.maxTimeoutSeconds());
        if (options.timeout() != null && options.timeout().compareTo(maxTimeout) > 0) {
            return Mono.error(new ProblemException(Problems.requestInvalid("Field 'timeout_seconds' is more than this tenant's "
                    + "maximum of " + maxTimeout.toSeconds() + " seconds.").withExtension("max_timeout_seconds", maxTimeout.toSeconds())));
        }
        JobOptions resolved = new JobOptions(options.name(), options.tags(),
                options.timeout() == null ? maxTimeout : options.timeout(), options.parameters());
        // The submission runs on unaffected by the client going away (a future, not a subscription of the request), in
        // the request's context: its trace reaches the records it sends.
        return Mono.deferContextual(context -> Mono.fromFuture(() -> {
            Instant now = now();
            Job job = Job.queued(tenant.id(), JobId.createdAt(now), sql, tenant.databaseUser(), tenant.maxConcurrentQueries(),
                    delivery, resolved, tenant.maxResultBytes(), now, retention);
            Mono<Submitted> submitted = key == null
                    ? recordAndQueue(job, store.insert(job), null).map(queued -> new Submitted(queued, false))
                    : recordOrReplay(job, key, requireNonNull(requestHash, "requestHash is null"), now);
            return submitted.doOnNext(recorded).contextWrite(context).toFuture();
        }, true));
    }

    /** How long an idempotency key holds its job. */
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    private Mono<Submitted> recordOrReplay(Job job, IdempotencyKey key, String requestHash, Instant now) {
        Instant keyExpires = now.plus(IDEMPOTENCY_WINDOW.compareTo(retention) < 0 ? IDEMPOTENCY_WINDOW : retention);
        return store.insert(job, key, requestHash, now, keyExpires)
                .onErrorMap(error -> {
                    log.warn("job store refused job={} tenant={}: {}", job.jobId(), job.tenantId(), error.toString());
                    return new ProblemException(Problems.storageUnavailable(), error);
                })
                .flatMap(insertion -> {
                    if (insertion.inserted()) {
                        return recordAndQueue(job, Mono.empty(), key).map(queued -> new Submitted(queued, false));
                    }
                    JobTable.IdempotencyRecord held = insertion.existing();
                    if (!held.requestHash().equals(requestHash)) {
                        return Mono.error(new ProblemException(Problems.idempotencyKeyReused(held.jobId())));
                    }
                    return store.find(job.tenantId(), held.jobId())
                            .onErrorMap(error -> new ProblemException(Problems.storageUnavailable(), error))
                            .switchIfEmpty(Mono.error(() -> new ProblemException(Problems.storageUnavailable())))
                            .map(original -> {
                                log.info("idempotent replay job={} tenant={} key={}", original.jobId(), original.tenantId(), key);
                                return new Submitted(original, true);
                            });
                });
    }

    /**
     * @param insert the job's write, or empty when the job is already recorded (with its idempotency key)
     * @param key    the job's idempotency key, given up again if the job cannot be queued; null for none
     */
    private Mono<Job> recordAndQueue(Job job, Mono<Void> insert, IdempotencyKey key) {
        return insert
                .onErrorMap(error -> {
                    log.warn("job store refused job={} tenant={}: {}", job.jobId(), job.tenantId(), error.toString());
                    return new ProblemException(Problems.storageUnavailable(), error);
                })
                .then(Mono.defer(() -> queue.request(new JobRequested(job.jobId(), job.tenantId(), job.submittedAt()))
                        .onErrorResume(error -> abandon(job, key, error))))
                .then(Mono.fromSupplier(() -> {
                    // For pipelines only, and its failure changes nothing: the answer does not wait for it. Sent after
                    // the request, so a worker's RUNNING event for the same tenant key follows it.
                    queue.publish(JobEvent.of(job)).subscribe(null, error -> log.warn("job event not published job={} tenant={}: {}",
                            job.jobId(), job.tenantId(), error.toString()));
                    withJobContext(job, () -> log.info("job accepted job={} tenant={}", job.jobId(), job.tenantId()));
                    return job;
                }));
    }

    /**
     * Logs with the job's ids in the logging context, where the workers keep them, so that structured lines carry them as
     * fields. Reactive code has no thread of its own to keep them on: they are put for the one line.
     */
    static void withJobContext(Job job, Runnable logging) {
        try (MDC.MDCCloseable jobId = MDC.putCloseable(JOB_ID, job.jobId().value());
             MDC.MDCCloseable tenantId = MDC.putCloseable(TENANT_ID, job.tenantId().value())) {
            logging.run();
        }
    }

    /** Milliseconds are plenty for job timestamps, and every client library parses them. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Mono<Void> abandon(Job job, IdempotencyKey key, Throwable queueError) {
        log.error("job could not be queued job={} tenant={}: {}", job.jobId(), job.tenantId(), queueError.toString());
        Mono<Void> forgetKey = key == null ? Mono.empty() : store.forget(job.tenantId(), key, job.jobId())
                .onErrorResume(error -> {
                    log.warn("idempotency key kept for a job that was not queued job={} tenant={} key={}: {}", job.jobId(),
                            job.tenantId(), key, error.toString());
                    return Mono.empty();
                });
        Job failed = job.endWith(JobStatus.FAILED, JobError.of(ErrorCode.INTERNAL_ERROR, ENQUEUE_FAILED_MESSAGE), now());
        return store.replace(job, failed)
                .doOnNext(written -> {
                    log.info("job marked FAILED job={} tenant={}", job.jobId(), job.tenantId());
                    audit.record(AuditRecord.ended(written, clock.instant()));
                    jobMetrics.ended(written);
                })
                .switchIfEmpty(Mono.fromRunnable(() -> log.warn(
                        "job changed before it could be marked FAILED job={} tenant={}", job.jobId(), job.tenantId())))
                .onErrorResume(storeError -> {
                    log.error("job left QUEUED, it could be neither queued nor marked FAILED job={} tenant={}: {}",
                            job.jobId(), job.tenantId(), storeError.toString());
                    return Mono.empty();
                })
                .then(forgetKey)
                .then(Mono.error(() -> new ProblemException(Problems.enqueueFailed(job.jobId()), queueError)));
    }
}
