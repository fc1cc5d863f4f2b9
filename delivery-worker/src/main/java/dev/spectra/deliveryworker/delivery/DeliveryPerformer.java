package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.aws.Dependency;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobStore;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.deliveryworker.messaging.JobEventPublisher;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Delivers one finished statement: reads the job, and only if it is DELIVERING reads the statement's
 * result into the inline document and stores the job SUCCEEDED, or FAILED with the reason. Every
 * path that reads the job ends it or leaves it to whoever changed it first; only an unreachable job
 * store leaves it untouched (and the message is redelivered).
 */
@Component
public class DeliveryPerformer {

    static final String JOB_ID = "jobId";
    static final String TENANT_ID = "tenantId";
    /** Re-leases by a sweeper come seconds apart; a delivery that keeps losing to them gives up after this many. */
    private static final int MAX_STORE_ATTEMPTS = 5;

    private static final Logger log = LoggerFactory.getLogger(DeliveryPerformer.class);

    private final JobStore jobs;
    private final StatementResults results;
    private final ResultDocumentWriter documents;
    private final RetryingCaller caller;
    private final JobEventPublisher events;
    private final DeliveryMetrics metrics;
    private final Clock clock;

    public DeliveryPerformer(JobStore jobs, StatementResults results, ResultDocumentWriter documents, RetryingCaller caller,
                             JobEventPublisher events, DeliveryMetrics metrics, Clock clock) {
        this.jobs = jobs;
        this.results = results;
        this.documents = documents;
        this.caller = caller;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @throws DeliveryDeferredException if the job could not be read or its outcome not stored; the
     *                                   message must be redelivered
     */
    public DeliveryOutcome perform(StatementFinished finished) {
        MDC.put(JOB_ID, finished.jobId().value());
        MDC.put(TENANT_ID, finished.tenantId().value());
        Timer.Sample sample = metrics.start();
        DeliveryOutcome outcome = DeliveryOutcome.DEFERRED;
        try {
            outcome = deliver(finished);
            return outcome;
        } finally {
            metrics.finished(sample, outcome);
            MDC.remove(JOB_ID);
            MDC.remove(TENANT_ID);
        }
    }

    private DeliveryOutcome deliver(StatementFinished finished) {
        Optional<Job> loaded;
        try {
            loaded = caller.call(Dependency.STORAGE, () -> jobs.find(finished.tenantId(), finished.jobId()));
        } catch (DeliveryFailedException e) {
            throw new DeliveryDeferredException("could not read the job: " + e.failure().message(), e);
        }
        if (loaded.isEmpty()) {
            log.warn("no such job (expired or never stored); nothing to deliver for statement {}", finished.statementId());
            return DeliveryOutcome.NOT_FOUND;
        }
        Job job = loaded.get();
        if (job.status() != JobStatus.DELIVERING) {
            log.info("job is {}, not DELIVERING: skipping statement {}", job.status(), finished.statementId());
            return DeliveryOutcome.SKIPPED;
        }
        Failure failure;
        try {
            return deliverInline(job, job.hasStatement() ? job.statementId() : finished.statementId());
        } catch (DeliveryFailedException e) {
            failure = e.failure();
            if (failure.code() == ErrorCode.INTERNAL_ERROR) {
                log.error("delivery failed unexpectedly", e.getCause());
            } else {
                log.warn("delivery failed with {}: {}", failure.code(), failure.message());
            }
        } catch (DeliveryDeferredException e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug of ours must still end the job; a job left DELIVERING would never be looked at again.
            log.error("delivery failed unexpectedly", e);
            failure = new Failure(ErrorCode.INTERNAL_ERROR, Failure.INTERNAL_ERROR_MESSAGE);
        }
        try {
            Failure ending = failure;
            return store(job, current -> current.endWith(JobStatus.FAILED, ending.toJobError(), clock.instant()));
        } catch (DeliveryFailedException e) {
            throw new DeliveryDeferredException("could not store the job's failure " + failure.code() + ": "
                    + e.failure().message(), e);
        }
    }

    private DeliveryOutcome deliverInline(Job job, String statementId) {
        ResultPages pages = new ResultPages(results, statementId, caller);
        return switch (documents.write(pages)) {
            case ResultDocument.Complete document -> {
                DeliveryOutcome outcome = store(job, current -> current.succeeded(document.rows(), document.json(), clock.instant()));
                if (outcome == DeliveryOutcome.DELIVERED) {
                    metrics.delivered(document.rows(), document.bytes());
                    log.info("delivered result inline: rows={} bytes={} pages={}", document.rows(), document.bytes(), pages.fetched());
                }
                yield outcome;
            }
            case ResultDocument.TooLarge tooLarge -> {
                log.info("result too large for inline delivery: {}+ bytes after {} pages, limit {} bytes",
                        tooLarge.bytesSoFar(), pages.fetched(), tooLarge.limit());
                yield store(job, current -> current.endWith(JobStatus.FAILED,
                        JobError.of(ErrorCode.RESULT_TOO_LARGE, tooLarge.message()), clock.instant()));
            }
        };
    }

    /**
     * Compare-and-set from {@code loaded} to its outcome, then the event. When the job moved on meanwhile but still
     * waits for this very statement's delivery (a query worker's sweeper re-leased it to announce it again, because
     * the delivery took longer than its lease), the outcome is written on top of what is stored now; any other
     * change (an end, another statement) is someone else's and wins.
     */
    private DeliveryOutcome store(Job loaded, UnaryOperator<Job> outcome) {
        Job current = loaded;
        for (int attempt = 1; ; attempt++) {
            Job base = current;
            Job next = outcome.apply(base);
            Optional<Job> written = caller.call(Dependency.STORAGE, () -> jobs.replace(base, next));
            if (written.isPresent()) {
                events.publish(written.get());
                return next.status() == JobStatus.SUCCEEDED ? DeliveryOutcome.DELIVERED : DeliveryOutcome.FAILED;
            }
            Optional<Job> now = caller.call(Dependency.STORAGE, () -> jobs.find(base.tenantId(), base.jobId()));
            boolean stillAwaitsThisDelivery = now.isPresent() && now.get().status() == JobStatus.DELIVERING
                    && Objects.equals(now.get().statementId(), loaded.statementId());
            if (!stillAwaitsThisDelivery || attempt == MAX_STORE_ATTEMPTS) {
                log.info("job changed while delivering; another writer owns it now: not writing {}", next.status());
                return DeliveryOutcome.LOST_RACE;
            }
            log.info("job was re-leased while delivering (version {} to {}); writing {} on top", base.version(),
                    now.get().version(), next.status());
            current = now.get();
        }
    }
}
