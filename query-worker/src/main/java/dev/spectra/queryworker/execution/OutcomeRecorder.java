package dev.spectra.queryworker.execution;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.queryworker.jobs.JobStore;
import dev.spectra.queryworker.session.EvictionReason;
import dev.spectra.queryworker.session.SessionLease;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;

import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * Writes where a job's statement left it: DELIVERING (and hands the statement to the delivery workers) or an
 * unsuccessful end. Every write is a compare-and-set; losing one means another worker recorded the job
 * first, so this run only acknowledges. The request record is acknowledged after the write (and, for a
 * finished statement, after the broker stored {@link StatementFinished}), never before.
 */
public final class OutcomeRecorder {

    private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);

    private final JobStore jobs;
    private final JobMessages messages;
    private final Warehouse warehouse;
    private final JobSteps steps;
    private final FailureClassifier classifier;
    private final Clock clock;
    private final MeterRegistry meters;

    public OutcomeRecorder(JobStore jobs, JobMessages messages, Warehouse warehouse, JobSteps steps,
            FailureClassifier classifier, Clock clock, MeterRegistry meters) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.steps = requireNonNull(steps, "steps is null");
        this.classifier = requireNonNull(classifier, "classifier is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.meters = requireNonNull(meters, "meters is null");
    }

    /**
     * Records how {@code job}'s statement ended and ends the session lease: a session whose statement ended
     * normally runs the next one; one whose statement was cancelled or lost is dropped.
     *
     * @param lease the session the statement ran on; null when this worker re-attached to another's statement
     */
    public void record(JobRun run, Job job, SessionLease lease, StatementOutcome outcome) {
        meters.counter("spectra.statements.outcomes", "outcome", outcomeTag(outcome)).increment();
        switch (outcome) {
            case StatementOutcome.Finished finished -> {
                release(lease);
                deliver(run, job, finished);
            }
            case StatementOutcome.Failed failed -> {
                release(lease);
                end(run, job, JobStatus.FAILED, JobError.of(ErrorCode.QUERY_FAILED, failed.message()));
            }
            case StatementOutcome.Aborted ignored -> {
                discard(lease);
                end(run, job, JobStatus.CANCELLED,
                        JobError.of(ErrorCode.QUERY_CANCELLED, "the statement was cancelled in the warehouse"));
            }
            case StatementOutcome.TimedOut timedOut -> {
                discard(lease);
                end(run, job, JobStatus.TIMED_OUT,
                        JobError.of(ErrorCode.QUERY_TIMED_OUT, "the statement ran longer than " + JobSteps.readable(timedOut.limit())));
            }
            case StatementOutcome.Lost lost -> {
                discard(lease);
                end(run, job, JobStatus.FAILED, JobError.of(ErrorCode.WAREHOUSE_UNAVAILABLE, lost.message()));
            }
        }
    }

    /** Ends a job whose statement could not be started. */
    public void fail(JobRun run, Job job, JobError error) {
        end(run, job, JobStatus.FAILED, error);
    }

    /**
     * Announces a DELIVERING job's statement again. A worker that stopped between writing DELIVERING and the
     * broker storing {@link StatementFinished} left the job waiting for a message nobody sent; delivery
     * workers ignore the duplicate when the job has moved on.
     */
    public void reannounce(JobRun run, Job job) {
        if (!job.hasStatement()) {
            log.warn("job is DELIVERING without a statement; nothing to announce");
            run.acknowledge();
            return;
        }
        steps.untilDone(run, () -> steps.call(run, () -> warehouse.describeStatement(job.statementId())),
                        classifier::isTransient)
                .whenCompleteAsync((description, failure) -> {
                    if (failure != null) {
                        log.warn("could not describe statement {} ({}); acknowledging without announcing it again",
                                job.statementId(), JobSteps.describe(failure));
                        run.acknowledge();
                        return;
                    }
                    long rows = job.rowCount() != null ? job.rowCount() : 0;
                    announce(run, job, rows, resultBytes(description), false);
                }, run.executor());
    }

    private void deliver(JobRun run, Job job, StatementOutcome.Finished finished) {
        Job delivering = job.transitionTo(JobStatus.DELIVERING, clock.instant()).withRowCount(finished.resultRows());
        steps.store(run, () -> jobs.replace(job, delivering)).whenCompleteAsync((written, failure) -> {
            if (failure != null) {
                run.abandon("could not record that statement " + job.statementId() + " finished", failure);
            } else if (written.isEmpty()) {
                skip(run);
            } else {
                announce(run, written.get(), finished.resultRows(), finished.resultBytes(), true);
            }
        }, run.executor());
    }

    /** Retries until the broker has the message: without it the job would wait in DELIVERING forever. */
    private void announce(JobRun run, Job delivering, long rows, long bytes, boolean newState) {
        StatementFinished message = new StatementFinished(
                delivering.jobId(), delivering.tenantId(), delivering.statementId(), rows, bytes);
        steps.untilDone(run, () -> messages.statementFinished(message), anyFailure -> true)
                .whenCompleteAsync((ignored, failure) -> {
                    if (failure != null) {
                        run.abandon("could not announce statement " + delivering.statementId(), failure);
                        return;
                    }
                    if (newState) {
                        messages.jobChanged(delivering);
                    }
                    log.info("statement {} finished with {} rows; job is DELIVERING", delivering.statementId(), rows);
                    run.acknowledge();
                }, run.executor());
    }

    private void end(JobRun run, Job job, JobStatus status, JobError error) {
        Job ended = job.endWith(status, error, clock.instant());
        steps.store(run, () -> jobs.replace(job, ended)).whenCompleteAsync((written, failure) -> {
            if (failure != null) {
                run.abandon("could not record that the job " + status, failure);
            } else if (written.isEmpty()) {
                skip(run);
            } else {
                messages.jobChanged(written.get());
                // The code only: the warehouse's message may quote the query.
                log.info("job {} with {}", status, error.code());
                run.acknowledge();
            }
        }, run.executor());
    }

    private static void skip(JobRun run) {
        log.info("another worker recorded this job first; leaving it to them");
        run.acknowledge();
    }

    private static void release(SessionLease lease) {
        if (lease != null) {
            lease.release();
        }
    }

    private static void discard(SessionLease lease) {
        if (lease != null) {
            lease.discard(EvictionReason.ABANDONED);
        }
    }

    private static long resultBytes(DescribeStatementResponse description) {
        return Boolean.TRUE.equals(description.hasResultSet()) && description.resultSize() != null
                ? description.resultSize()
                : 0;
    }

    private static String outcomeTag(StatementOutcome outcome) {
        return switch (outcome) {
            case StatementOutcome.Finished ignored -> "finished";
            case StatementOutcome.Failed ignored -> "failed";
            case StatementOutcome.Aborted ignored -> "aborted";
            case StatementOutcome.TimedOut ignored -> "timed_out";
            case StatementOutcome.Lost ignored -> "lost";
        };
    }
}
