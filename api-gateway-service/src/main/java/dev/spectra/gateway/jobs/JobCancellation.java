package dev.spectra.gateway.jobs;

import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.audit.AuditTrail;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.metrics.JobMetrics;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Ends a job CANCELLED at a client's request: a compare-and-set on the job's version, like every job write, then
 * the CANCELLED {@link JobEvent}.
 *
 * <p>Whatever worker holds the job loses it with that write: its next write fails. The query worker also reads
 * the event, so a statement in the warehouse is cancelled within moments rather than at the worker's next lease
 * renewal; a QUEUED job never reaches the warehouse, because a worker writes RUNNING before it starts the
 * statement, and that write now fails. A delivery in progress stops at its next write and publishes nothing.
 *
 * <p>Losing the race to a worker's write is retried on the job as it now stands; a job that ended meanwhile is
 * a 409 naming its state, as is cancelling one that had already ended.
 */
public final class JobCancellation {

    private static final Logger log = LoggerFactory.getLogger(JobCancellation.class);
    static final String CANCELLED_MESSAGE = "cancelled by the client";
    private static final int ATTEMPTS = 10;

    private final JobStore store;
    private final JobQueue queue;
    private final Clock clock;
    private final MeterRegistry meters;
    private final AuditTrail audit;
    private final JobMetrics jobMetrics;

    /**
     * @param audit where the cancelled job is recorded as ENDED, as every service records the endings it stores
     * @param jobMetrics where its end is counted and its end-to-end time recorded, likewise
     */
    public JobCancellation(JobStore store, JobQueue queue, Clock clock, MeterRegistry meters, AuditTrail audit, JobMetrics jobMetrics) {
        this.store = requireNonNull(store, "store is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.meters = requireNonNull(meters, "meters is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.jobMetrics = requireNonNull(jobMetrics, "jobMetrics is null");
    }

    /**
     * Cancels {@code job} (the caller's own, as just read); emits the job as it ended.
     *
     * @param cancelledByClient told of the job once it is stored CANCELLED: the audit record of the client's decision
     */
    public Mono<Job> cancel(Job job, Consumer<Job> cancelledByClient) {
        return attempt(job, 1)
                .doOnNext(cancelled -> {
                    cancelledByClient.accept(cancelled);
                    audit.record(AuditRecord.ended(cancelled, clock.instant()));
                    jobMetrics.ended(cancelled);
                })
                .flatMap(cancelled -> queue.publish(JobEvent.of(cancelled))
                        .onErrorResume(error -> {
                            // The worker then notices at its next lease renewal, within a third of its lease.
                            log.warn("cancel event not published job={} tenant={}: {}", job.jobId(), job.tenantId(), error.toString());
                            return Mono.empty();
                        })
                        .thenReturn(cancelled))
                .doOnNext(cancelled -> {
                    JobSubmitter.withJobContext(job, () -> log.info("job cancelled by the client job={} tenant={} from={}",
                            job.jobId(), job.tenantId(), job.status()));
                    meters.counter("spectra.gateway.cancellations", "from", job.status().name()).increment();
                });
    }

    private Mono<Job> attempt(Job current, int attempt) {
        if (current.status().isTerminal()) {
            return Mono.error(new ProblemException(Problems.jobAlreadyEnded(current)));
        }
        Job cancelled = current.endWith(JobStatus.CANCELLED, JobError.of(ErrorCode.QUERY_CANCELLED, CANCELLED_MESSAGE),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        return store.replace(current, cancelled)
                .onErrorMap(error -> new ProblemException(Problems.storageUnavailable(), error))
                .switchIfEmpty(Mono.defer(() -> {
                    if (attempt >= ATTEMPTS) {
                        return Mono.error(new ProblemException(Problems.storageUnavailable()));
                    }
                    return store.find(current.tenantId(), current.jobId())
                            .onErrorMap(error -> new ProblemException(Problems.storageUnavailable(), error))
                            .switchIfEmpty(Mono.error(() -> new ProblemException(Problems.jobNotFound())))
                            .flatMap(now -> attempt(now, attempt + 1));
                }));
    }
}
