package dev.spectra.queryworker.execution;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.queryworker.config.StatementsProperties;
import dev.spectra.queryworker.jobs.JobStore;
import dev.spectra.queryworker.session.EvictionReason;
import dev.spectra.queryworker.session.SessionLease;
import dev.spectra.queryworker.session.SessionPool;
import dev.spectra.queryworker.session.SessionPoolStoppedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Starts a RUNNING job's statement on a session of the job's database user, records the statement id on
 * the job, and only then has the tracker follow it.
 *
 * <p><b>Running a statement at most once, nearly.</b> The statement id is written with a compare-and-set
 * before anything else happens, and a redelivered job that has one is re-attached, never executed again. What
 * remains is the window between ExecuteStatement and that write: a worker that dies inside it leaves a
 * RUNNING job without a statement id, and the worker that gets the redelivered record executes it again (the
 * first statement runs to its end unobserved). If the first worker was only slow, not dead, both write the
 * statement id against the same version: one write wins, and the loser cancels its own statement. So at most
 * one statement per job is ever followed, and a second one runs only when a worker dies within one Data API
 * round trip.
 */
public final class StatementLauncher {

    private static final Logger log = LoggerFactory.getLogger(StatementLauncher.class);

    private final SessionPool sessions;
    private final Warehouse warehouse;
    private final StatementRequests requests;
    private final JobStore jobs;
    private final StatementTracker tracker;
    private final OutcomeRecorder recorder;
    private final JobSteps steps;
    private final FailureClassifier classifier;
    private final StatementsProperties settings;
    private final Clock clock;

    public StatementLauncher(SessionPool sessions, Warehouse warehouse, StatementRequests requests, JobStore jobs,
            StatementTracker tracker, OutcomeRecorder recorder, JobSteps steps, FailureClassifier classifier,
            StatementsProperties settings, Clock clock) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.requests = requireNonNull(requests, "requests is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.tracker = requireNonNull(tracker, "tracker is null");
        this.recorder = requireNonNull(recorder, "recorder is null");
        this.steps = requireNonNull(steps, "steps is null");
        this.classifier = requireNonNull(classifier, "classifier is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Runs the statement of a RUNNING job that has none yet. */
    public void launch(JobRun run, Job job) {
        attempt(run, job, 1);
    }

    /** Follows the statement a job already has (started by this or another worker); never executes it again. */
    public void reattach(JobRun run, Job job) {
        log.info("re-attaching to statement {}", job.statementId());
        follow(run, job, job.statementId(), null);
    }

    private void attempt(JobRun run, Job job, int attempt) {
        sessions.borrow(job.databaseUser())
                .thenApplyAsync(lease -> submit(job, lease), run.executor())
                .whenCompleteAsync((submitted, failure) -> {
                    if (failure == null) {
                        recordStatement(run, job, submitted);
                    } else {
                        notStarted(run, job, attempt, failure);
                    }
                }, run.executor());
    }

    /** ExecuteStatement on the lease's session; a refused warm session is dropped and the statement tried once more on a new one. */
    private Submitted submit(Job job, SessionLease lease) {
        try {
            return execute(job, lease);
        } catch (RuntimeException refused) {
            if (lease.sessionId().isPresent()
                    && classifier.classify(refused, true).kind() == FailureClassifier.Kind.SESSION_REFUSED) {
                log.info("the warehouse refused {} ({}); retrying once on a new session", lease, JobSteps.describe(refused));
                lease.reopen();
                try {
                    return execute(job, lease);
                } catch (RuntimeException again) {
                    lease.release();
                    throw again;
                }
            }
            // The session itself is fine (the statement or the warehouse was the problem): it stays in the pool.
            lease.release();
            throw refused;
        }
    }

    private Submitted execute(Job job, SessionLease lease) {
        Optional<String> warmSession = lease.sessionId();
        ExecuteStatementRequest request = warmSession
                .map(sessionId -> requests.onSession(sessionId, job.sql()))
                .orElseGet(() -> requests.openingSession(job.databaseUser(), job.sql()));
        ExecuteStatementResponse response = warehouse.executeStatement(request);
        String statementId = requireNonNull(response.id(), "ExecuteStatement answered without a statement id");
        if (warmSession.isEmpty() && response.sessionId() != null) {
            lease.opened(response.sessionId());
        }
        log.info("statement {} started on {} session {}", statementId,
                warmSession.isPresent() ? "warm" : "new", response.sessionId() != null ? response.sessionId() : warmSession.orElse("-"));
        return new Submitted(statementId, lease);
    }

    private void notStarted(JobRun run, Job job, int attempt, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SessionPoolStoppedException || cause instanceof RejectedExecutionException) {
            run.abandon("the worker is stopping before the statement started", null);
            return;
        }
        FailureClassifier.Failure classified = classifier.classify(cause, false);
        if (classified.isTransient() && attempt < settings.maxExecuteAttempts()) {
            Duration wait = settings.backoffBefore(attempt);
            log.info("the warehouse did not take the statement ({}); attempt {} of {}, retrying in {}",
                    JobSteps.describe(cause), attempt, settings.maxExecuteAttempts(), JobSteps.readable(wait));
            steps.after(wait, run).whenCompleteAsync((ignored, stopping) -> {
                if (stopping == null) {
                    attempt(run, job, attempt + 1);
                } else {
                    run.abandon("the worker is stopping before the statement started", null);
                }
            }, run.executor());
            return;
        }
        JobError error;
        if (classified.isTransient()) {
            error = JobError.of(ErrorCode.WAREHOUSE_UNAVAILABLE,
                    "the warehouse did not accept the statement after %d attempts: %s".formatted(attempt, classified.message()));
        } else {
            error = JobError.of(classified.code(), classified.message());
        }
        if (classified.code() == ErrorCode.INTERNAL_ERROR) {
            log.error("statement not started", cause);
        } else {
            log.info("statement not started: {} ({})", classified.code(), JobSteps.describe(cause));
        }
        recorder.fail(run, job, error);
    }

    private void recordStatement(JobRun run, Job job, Submitted submitted) {
        Job recorded = job.withStatementId(submitted.statementId(), clock.instant());
        steps.store(run, () -> jobs.replace(job, recorded)).whenCompleteAsync((written, failure) -> {
            if (failure != null) {
                // Unrecorded, the statement has no future: the redelivered job will be executed afresh.
                cancelUnrecorded(run, submitted);
                run.abandon("could not record statement " + submitted.statementId() + " on the job", failure);
            } else if (written.isEmpty()) {
                log.warn("another worker recorded a statement for this job first; cancelling ours, {}",
                        submitted.statementId());
                cancelUnrecorded(run, submitted);
                run.acknowledge();
            } else {
                follow(run, written.get(), submitted.statementId(), submitted.lease());
            }
        }, run.executor());
    }

    private void cancelUnrecorded(JobRun run, Submitted submitted) {
        submitted.lease().discard(EvictionReason.ABANDONED);
        steps.call(run, () -> {
            warehouse.cancelStatement(submitted.statementId());
            return null;
        }).whenComplete((ignored, failure) -> {
            if (failure != null) {
                run.inContext(() -> log.warn("could not cancel statement {} ({})",
                        submitted.statementId(), JobSteps.describe(failure)));
            }
        });
    }

    private void follow(JobRun run, Job job, String statementId, SessionLease lease) {
        boolean followed = tracker.track(statementId, run, outcome -> recorder.record(run, job, lease, outcome));
        if (!followed) {
            if (lease != null) {
                lease.discard(EvictionReason.ABANDONED);
            }
            run.abandon("the worker is stopping; statement " + statementId + " keeps running", null);
        }
    }

    private record Submitted(String statementId, SessionLease lease) {
    }
}
