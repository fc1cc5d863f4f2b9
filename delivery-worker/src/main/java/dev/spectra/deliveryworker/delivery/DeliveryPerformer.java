package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.audit.AuditTrail;
import dev.spectra.common.aws.AwsFailureClassifier;
import dev.spectra.common.aws.Dependency;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.common.job.JobStore;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultSummary;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import dev.spectra.deliveryworker.messaging.JobEventPublisher;
import dev.spectra.deliveryworker.result.ResultWriter;
import dev.spectra.deliveryworker.result.UnloadedResult;
import dev.spectra.deliveryworker.result.WrittenResult;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Delivers one finished statement, start to end on one (virtual) thread: reads the job; only if it is DELIVERING
 * and no other delivery worker holds it, leases it; writes the result as the job asked (paged out of the Data API
 * and encoded into chunk files, or collected from the files the warehouse's UNLOAD wrote), renewing the lease
 * between pages; stores the job SUCCEEDED with its result's summary, or FAILED with the reason; publishes the
 * event. Every path that leased the job ends it, or leaves it to whoever took it over; a job that could not be read
 * or leased is left as it is, and its lapsing lease brings it back.
 */
@Component
public class DeliveryPerformer {

    static final String JOB_ID = "jobId";
    static final String TENANT_ID = "tenantId";
    static final String STATEMENT_ID = "statementId";

    private static final Logger log = LoggerFactory.getLogger(DeliveryPerformer.class);

    private final JobStore jobs;
    private final StatementResults results;
    private final ResultWriter writer;
    private final UnloadedResult unloaded;
    private final RetryingCaller caller;
    private final AwsFailureClassifier classifier;
    private final JobEventPublisher events;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final DeliveryWorkerId worker;
    private final Duration leaseDuration;
    private final AuditTrail audit;

    public DeliveryPerformer(JobStore jobs, StatementResults results, ResultWriter writer, UnloadedResult unloaded,
                             RetryingCaller caller, AwsFailureClassifier classifier, JobEventPublisher events,
                             DeliveryMetrics metrics, Clock clock, DeliveryWorkerId worker, DeliveryProperties delivery,
                             AuditTrail audit) {
        this.jobs = jobs;
        this.results = results;
        this.writer = writer;
        this.unloaded = unloaded;
        this.caller = caller;
        this.classifier = classifier;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.worker = worker;
        this.leaseDuration = delivery.leaseDuration();
        this.audit = audit;
    }

    public DeliveryOutcome perform(StatementFinished finished) {
        MDC.put(JOB_ID, finished.jobId().value());
        MDC.put(TENANT_ID, finished.tenantId().value());
        MDC.put(STATEMENT_ID, finished.statementId());
        Timer.Sample sample = metrics.start();
        DeliveryOutcome outcome = DeliveryOutcome.DEFERRED;
        try {
            outcome = deliver(finished);
            return outcome;
        } finally {
            metrics.finished(sample, outcome);
            MDC.remove(JOB_ID);
            MDC.remove(TENANT_ID);
            MDC.remove(STATEMENT_ID);
        }
    }

    private DeliveryOutcome deliver(StatementFinished finished) {
        Optional<DeliveryLease> claimed;
        try {
            Optional<Job> loaded = caller.call(Dependency.STORAGE, () -> jobs.find(finished.tenantId(), finished.jobId()));
            if (loaded.isEmpty()) {
                log.warn("no such job (expired or never stored); nothing to deliver");
                return DeliveryOutcome.NOT_FOUND;
            }
            Job job = loaded.get();
            if (job.status() != JobStatus.DELIVERING) {
                log.info("job is {}, not DELIVERING: skipping", job.status());
                return DeliveryOutcome.SKIPPED;
            }
            if (job.isBeingDelivered(clock.instant())) {
                log.info("job is being delivered by {} until {}: skipping", job.lease().owner(), job.lease().expiresAt());
                return DeliveryOutcome.SKIPPED;
            }
            claimed = DeliveryLease.claim(jobs, caller, clock, worker.value(), leaseDuration, job);
        } catch (DeliveryFailedException | DeliveryDeferredException e) {
            log.warn("could not read or lease the job ({}); its lease will bring it back", e.getMessage());
            return DeliveryOutcome.DEFERRED;
        }
        if (claimed.isEmpty()) {
            return lostTo(finished, "another writer changed the job before this worker leased it");
        }
        return deliver(finished, claimed.get());
    }

    private DeliveryOutcome deliver(StatementFinished finished, DeliveryLease lease) {
        Job job = lease.job();
        Instant started = clock.instant();
        WrittenResult written;
        try {
            written = write(finished, lease);
        } catch (DeliveryLease.LeaseLost lost) {
            return lostTo(job, "lost the job's lease (" + lost.getMessage() + ")");
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                log.info("stopping: handing the job over");
                lease.handOver();
                return DeliveryOutcome.DEFERRED;
            }
            Failure failure = failureOf(e);
            return store(lease, lease.job().endWith(JobStatus.FAILED, failure.toJobError(), clock.instant()));
        }
        return switch (written) {
            case WrittenResult.TooLarge tooLarge -> {
                log.info("result not delivered: {}", tooLarge.message());
                yield store(lease, lease.job().endWith(JobStatus.FAILED, JobError.of(ErrorCode.RESULT_TOO_LARGE, tooLarge.message()),
                        clock.instant()));
            }
            case WrittenResult.OnItem onItem -> record(lease, started, onItem.summary(), onItem.document());
            case WrittenResult.Stored stored -> record(lease, started, stored.summary(), null);
        };
    }

    private WrittenResult write(StatementFinished finished, DeliveryLease lease) {
        Job job = lease.job();
        // A folder per lease: a worker that lost the job midway can never overwrite the files of the one that took it.
        String folder = ResultLocation.jobPrefix(job.tenantId(), job.jobId()) + "d" + job.version() + "/";
        if (job.unloads()) {
            return unloaded.collect(job, writer.maxResultBytes(job), folder);
        }
        WrittenResult.TooLarge refused = writer.refusedBeforePaging(job, finished.resultBytes());
        if (refused != null) {
            return refused;
        }
        String statementId = job.hasStatement() ? job.statementId() : finished.statementId();
        if (job.csvFromDataApi()) {
            // The query worker ran it with ResultFormat CSV: the warehouse's own CSV text, passed through.
            return writer.writeCsv(job, finished.resultBytes(), folder, ResultPages.csv(results, statementId, caller), lease::keep);
        }
        return writer.write(job, finished.resultBytes(), folder, ResultPages.typed(results, statementId, caller), lease::keep);
    }

    private DeliveryOutcome record(DeliveryLease lease, Instant started, ResultSummary summary, String document) {
        DeliveryOutcome outcome = store(lease, lease.job().succeeded(summary, document, clock.instant()));
        if (outcome == DeliveryOutcome.DELIVERED) {
            metrics.delivered(summary, Duration.between(started, clock.instant()));
            log.info("delivered result: disposition={} format={} compression={} rows={} bytes={} chunks={} truncated={}",
                    summary.disposition(), summary.format(), summary.compression(), summary.rowCount(), summary.byteCount(),
                    summary.chunkCount(), summary.truncated());
        }
        return outcome;
    }

    private Failure failureOf(RuntimeException e) {
        Failure failure = switch (e) {
            case DeliveryFailedException failed -> failed.failure();
            case DeliveryDeferredException deferred -> new Failure(ErrorCode.STORAGE_UNAVAILABLE, deferred.getMessage());
            default -> {
                // Not from a call the caller retried: S3 (whose client retries parts itself), or a fault of ours.
                Failure classified = Failure.of(Dependency.RESULTS, classifier.classify(e, Dependency.RESULTS));
                if (classified.code() != ErrorCode.INTERNAL_ERROR) {
                    metrics.resultStoreFailed();
                }
                yield classified;
            }
        };
        if (failure.code() == ErrorCode.INTERNAL_ERROR) {
            log.error("delivery failed unexpectedly", e);
        } else {
            log.warn("delivery failed with {}: {}", failure.code(), failure.message());
        }
        return failure;
    }

    /**
     * Another writer changed the job: a worker that took it over, or its client, who cancelled it. The files written
     * so far stay in this lease's folder until the results bucket's lifecycle rule removes them; nobody links to them.
     */
    private DeliveryOutcome lostTo(Job job, String why) {
        return lostTo(job.tenantId(), job.jobId(), why);
    }

    private DeliveryOutcome lostTo(StatementFinished finished, String why) {
        return lostTo(finished.tenantId(), finished.jobId(), why);
    }

    private DeliveryOutcome lostTo(TenantId tenantId, JobId jobId, String why) {
        Optional<Job> now;
        try {
            now = jobs.find(tenantId, jobId);
        } catch (RuntimeException e) {
            now = Optional.empty();
        }
        if (now.isPresent() && now.get().status().isTerminal()) {
            log.info("{}: the job ended {} without this worker; stopping, nothing delivered", why, now.get().status());
            return DeliveryOutcome.ENDED_ELSEWHERE;
        }
        log.warn("{}: another writer owns the job now, stopping here", why);
        return DeliveryOutcome.LOST_RACE;
    }

    /** Compare-and-set from the lease's last write to the outcome, then the event. */
    private DeliveryOutcome store(DeliveryLease lease, Job outcome) {
        Job base = lease.job();
        Optional<Job> written;
        try {
            written = caller.call(Dependency.STORAGE, () -> jobs.replace(base, outcome));
        } catch (DeliveryFailedException e) {
            log.warn("could not store the job's outcome {} ({}); its lease will bring it back", outcome.status(), e.failure().message());
            return DeliveryOutcome.DEFERRED;
        }
        if (written.isEmpty()) {
            return lostTo(base, "job changed while delivering; not writing " + outcome.status());
        }
        // Every outcome stored here ends the job: SUCCEEDED or FAILED.
        audit.record(AuditRecord.ended(written.get(), clock.instant()));
        metrics.ended(base, written.get());
        events.publish(written.get());
        return outcome.status() == JobStatus.SUCCEEDED ? DeliveryOutcome.DELIVERED : DeliveryOutcome.FAILED;
    }
}
