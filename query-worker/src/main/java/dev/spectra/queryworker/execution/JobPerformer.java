package dev.spectra.queryworker.execution;

import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.audit.AuditTrail;
import dev.spectra.common.aws.AwsFailureClassifier;
import dev.spectra.common.aws.Verdict;
import dev.spectra.common.aws.Dependency;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobStore;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.common.metrics.DataApiCalls;
import dev.spectra.common.metrics.JobMetrics;
import dev.spectra.common.statement.QueryParameter;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.queryworker.config.LeasesProperties;
import dev.spectra.queryworker.config.StatementsProperties;
import dev.spectra.queryworker.scheduling.FairScheduler;
import dev.spectra.queryworker.session.EvictionReason;
import dev.spectra.queryworker.session.SessionLease;
import dev.spectra.queryworker.session.SessionPool;
import dev.spectra.queryworker.session.SessionPoolStoppedException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ResultFormatString;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import static java.util.Objects.requireNonNull;

/**
 * One job, top to bottom, on its own virtual thread: claim it with a lease, wait for the tenant's turn,
 * start its statement on a warm session, record the statement id, follow the statement to its end, record
 * the outcome. Every write is a compare-and-set on the job's version, so a worker that lost the job (its
 * lease lapsed while it was frozen, another worker took over) cannot write anything: its next write fails
 * and it stops ({@link LeaseLost}). The lease is renewed between steps, never from another thread.
 *
 * <p><b>A statement runs once.</b> ExecuteStatement carries a client token derived from the job id, so an
 * attempt retried after a lost answer, or repeated by a worker that took the job over before the statement
 * id was recorded, gets the statement already started instead of a second one.
 *
 * <p><b>The request record is only a doorbell.</b> It is acknowledged as soon as the job is claimed (or found
 * to be someone else's, or ended), never held while the job waits or runs: the job's lease, not the Kafka
 * offset, says who owns the job, and the {@link LeaseSweeper} of every worker takes over jobs whose lease
 * lapsed, including jobs whose record never arrived.
 */
public final class JobPerformer {

    private static final Logger log = LoggerFactory.getLogger(JobPerformer.class);
    static final String JOB_ID = "jobId";
    static final String TENANT_ID = "tenantId";
    /** The Data API operations this worker calls, as {@code spectra.dataapi.calls} names them. */
    static final String EXECUTE_STATEMENT = "ExecuteStatement";
    static final String DESCRIBE_STATEMENT = "DescribeStatement";
    static final String LIST_STATEMENTS = "ListStatements";
    static final String CANCEL_STATEMENT = "CancelStatement";

    private final JobStore jobs;
    private final Warehouse warehouse;
    private final StatementRequests requests;
    private final SessionPool sessions;
    private final FairScheduler scheduler;
    private final JobMessages messages;
    private final AwsFailureClassifier classifier;
    private final StatementsProperties statements;
    private final LeasesProperties leases;
    private final Clock clock;
    private final MeterRegistry meters;
    private final AuditTrail audit;
    private final JobMetrics jobMetrics;
    private final DataApiCalls dataApiCalls;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final AtomicInteger followed = new AtomicInteger();
    /** Long polls open at once: each holds an HTTP connection for up to {@code long-poll-wait}. */
    private final Semaphore longPolls;
    /** The jobs this worker runs now, for the cancel listener. */
    private final Map<JobTable.JobKey, Run> inHand = new ConcurrentHashMap<>();

    public JobPerformer(JobStore jobs, Warehouse warehouse, StatementRequests requests, SessionPool sessions,
            FairScheduler scheduler, JobMessages messages, AwsFailureClassifier classifier, StatementsProperties statements,
            LeasesProperties leases, Clock clock, MeterRegistry meters, AuditTrail audit) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.requests = requireNonNull(requests, "requests is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.classifier = requireNonNull(classifier, "classifier is null");
        this.statements = requireNonNull(statements, "statements is null");
        this.leases = requireNonNull(leases, "leases is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.meters = requireNonNull(meters, "meters is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.jobMetrics = new JobMetrics(meters);
        this.dataApiCalls = new DataApiCalls(meters, List.of(EXECUTE_STATEMENT, DESCRIBE_STATEMENT, LIST_STATEMENTS, CANCEL_STATEMENT));
        this.longPolls = new Semaphore(statements.maxLongPolls());
        Gauge.builder("spectra.statements.in_flight", followed, AtomicInteger::get)
                .description("Statements this worker is following in the warehouse")
                .register(meters);
    }

    /** A request record arrived: claim its job, acknowledge the record, run the job. Blocks until the job left this worker. */
    public void perform(JobRequested request, Runnable acknowledge) {
        withJobContext(request.tenantId(), request.jobId(), () -> {
            Optional<Claimed> claimed;
            Timer.Sample claiming = Timer.start(meters);
            try {
                claimed = claim(request.tenantId(), request.jobId());
                claiming.stop(step("claim"));
            } finally {
                acknowledge.run();
            }
            claimed.ifPresent(this::run);
        });
    }

    /** The sweeper found the job's lease lapsed: take the job over and go on from where it stands. */
    public void takeOver(TenantId tenantId, JobId jobId) {
        withJobContext(tenantId, jobId, () -> claim(tenantId, jobId).ifPresent(claimed -> {
            log.info("took over the job in state {} from a lapsed lease", claimed.job().status());
            meters.counter("spectra.jobs.taken_over", "status", claimed.job().status().name()).increment();
            run(claimed);
        }));
    }

    /**
     * Leases the job to this worker when nobody holds it: a new job (its unowned lease is the deadline for a
     * first claim) or one whose lease lapsed. Empty when the job ended, is someone else's, or another worker
     * claimed it first.
     */
    /** A job this worker now holds; {@code heldBefore}: another worker held it (and may have started its statement). */
    private record Claimed(Job job, boolean heldBefore) {
    }

    private Optional<Claimed> claim(TenantId tenantId, JobId jobId) {
        // The common case, a new job's request: one conditional write, no read. Anything else is read first.
        try {
            Optional<Job> firstClaim = untilDone("claim the job", clock.instant().plus(leases.duration()), Dependency.STORAGE,
                    () -> jobs.claimUnowned(tenantId, jobId, leases.workerId(), clock.instant().plus(leases.duration())));
            if (firstClaim.isPresent()) {
                return Optional.of(new Claimed(firstClaim.get(), false));
            }
        } catch (RuntimeException | InterruptedException e) {
            keepInterrupt(e);
            log.warn("could not claim the job ({}); its lease will bring it back", describe(e));
            return Optional.empty();
        }
        Optional<Job> found;
        try {
            found = untilDone("load the job", clock.instant().plus(leases.duration()), Dependency.STORAGE, () -> jobs.find(tenantId, jobId));
        } catch (RuntimeException | InterruptedException e) {
            keepInterrupt(e);
            log.warn("could not load the job ({}); its lease will bring it back", describe(e));
            return Optional.empty();
        }
        if (found.isEmpty()) {
            log.warn("no such job in the job table");
            return Optional.empty();
        }
        Job job = found.get();
        Instant now = clock.instant();
        if (job.status().isTerminal()) {
            log.info("job already ended {}", job.status());
            return Optional.empty();
        }
        if (job.status() == JobStatus.QUEUED && job.isLeasedBy(leases.workerId(), now)) {
            // The first claim landed but its answer was lost; no other thread of this worker holds the job.
            return Optional.of(new Claimed(job, false));
        }
        if (job.lease().owner() != null && !job.lease().isExpired(now)) {
            log.info("job is leased to {} until {}; leaving it", job.lease().owner(), job.lease().expiresAt());
            return Optional.empty();
        }
        Duration term = job.status() == JobStatus.DELIVERING ? leases.deliveryGrace() : leases.duration();
        try {
            Optional<Job> claimed = untilDone("claim the job", now.plus(leases.duration()), Dependency.STORAGE,
                    () -> jobs.replace(job, job.leasedTo(leases.workerId(), now.plus(term))));
            if (claimed.isEmpty()) {
                log.info("another worker claimed the job first");
            }
            return claimed.map(held -> new Claimed(held, job.lease().owner() != null));
        } catch (RuntimeException | InterruptedException e) {
            keepInterrupt(e);
            log.warn("could not claim the job ({}); its lease will bring it back", describe(e));
            return Optional.empty();
        }
    }

    /**
     * The job's client cancelled it (the gateway wrote CANCELLED and published the event): when this worker runs
     * the job's statement, the statement is cancelled in the warehouse now, not at the worker's next write. The job
     * itself needs nothing more: its next write fails, and {@link #stoppedElsewhere} ends the run.
     */
    public void cancelRequested(TenantId tenantId, JobId jobId) {
        Run run = inHand.get(new JobTable.JobKey(tenantId, jobId));
        if (run == null) {
            return;
        }
        withJobContext(tenantId, jobId, () -> {
            String statementId = run.startedStatement;
            if (statementId == null) {
                log.info("cancelled by its client before its statement started; the job stops at its next write");
                meters.counter("spectra.jobs.cancel_requests", "statement", "not_started").increment();
                return;
            }
            log.info("cancelled by its client; cancelling statement {}", statementId);
            meters.counter("spectra.jobs.cancel_requests", "statement", "cancelled").increment();
            run.cancelStatementOnce();
        });
    }

    /**
     * Another writer changed the job: a worker that took it over (this one froze past its lease), or the job ended
     * without this worker, CANCELLED by its client. In the second case a statement this worker started is
     * cancelled: nobody else will follow it.
     */
    private void stoppedElsewhere(Run run, LeaseLost lost) {
        Optional<Job> now;
        try {
            now = jobs.find(run.job.tenantId(), run.job.jobId());
        } catch (RuntimeException e) {
            now = Optional.empty();
        }
        if (now.isPresent() && now.get().status().isTerminal()) {
            log.info("job ended {} without this worker ({}); stopping here", now.get().status(),
                    now.get().error() == null ? "no error" : now.get().error().code());
            meters.counter("spectra.jobs.stopped", "reason", "ended_elsewhere", "status", now.get().status().name()).increment();
            run.cancelStatementOnce();
            return;
        }
        log.warn("lost the job's lease ({}); another worker owns it now, stopping here", lost.getMessage());
        meters.counter("spectra.jobs.lease_lost").increment();
    }

    private void run(Claimed claim) {
        Job claimed = claim.job();
        Run run = new Run(claimed);
        if (!claim.heldBefore() && claimed.status() == JobStatus.QUEUED) {
            // Its first claim: the end of its wait in the queue, the start of its run. A job taken over from another
            // worker was claimed before, and its run is not timed (this worker does not know when it started).
            run.firstClaimedAt = clock.instant();
            jobMetrics.claimed(claimed, run.firstClaimedAt);
        }
        JobTable.JobKey key = new JobTable.JobKey(claimed.tenantId(), claimed.jobId());
        inHand.put(key, run);
        try {
            runHeld(run, claim);
        } finally {
            inHand.remove(key, run);
        }
    }

    private void runHeld(Run run, Claimed claim) {
        Job claimed = claim.job();
        // Held before by another worker (now dead, frozen or stopped): it may have started the statement already.
        run.takenOver = claim.heldBefore();
        try {
            switch (claimed.status()) {
                case DELIVERING -> announceAgain(run);
                case RUNNING -> {
                    if (claimed.hasStatement()) {
                        follow(run, null);
                    } else {
                        // The worker that wrote RUNNING died before recording the statement; the client token
                        // hands this attempt the statement it may have started.
                        execute(run);
                    }
                }
                default -> execute(run);
            }
        } catch (LeaseLost lost) {
            stoppedElsewhere(run, lost);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            run.handOver();
        } catch (SessionPoolStoppedException stopping) {
            run.handOver();
        } catch (RuntimeException e) {
            log.error("job run failed; its lease will bring it back", e);
        }
    }

    // --- QUEUED to RUNNING

    private void execute(Run run) throws InterruptedException {
        Timer.Sample queueWait = Timer.start(meters);
        try (FairScheduler.Ticket ticket = scheduler.enqueue(run.job.tenantId(), run.job.maxConcurrentQueries())) {
            while (!ticket.awaitTurn(leases.renewEvery())) {
                if (run.pastDeadline()) {
                    end(run, JobStatus.TIMED_OUT, JobError.of(ErrorCode.QUERY_TIMED_OUT,
                            "the job waited for its turn longer than its timeout of " + run.timeout()));
                    return;
                }
                run.keepLease();
            }
            queueWait.stop(Timer.builder("spectra.scheduler.wait")
                    .description("Time jobs waited in this worker for their tenant's turn")
                    .register(meters));
            if (run.takenOver && resumeStatementOfPreviousOwner(run)) {
                return;
            }
            Timer.Sample starting = Timer.start(meters);
            Optional<Started> started = start(run);
            if (started.isEmpty()) {
                return;
            }
            starting.stop(step("start"));
            run.started(started.get().statementId());
            Timer.Sample recording = Timer.start(meters);
            try {
                run.write(run.job.withStatementId(started.get().statementId(), clock.instant()), leases.duration());
                recording.stop(step("record"));
            } catch (LeaseLost lost) {
                // Whoever holds the job now runs it with the same client token: the same statement. A job that
                // ended meanwhile (its client cancelled it) has its statement cancelled by run()'s handler.
                started.get().lease().discard(EvictionReason.ABANDONED);
                throw lost;
            }
            log.info("statement {} started", run.job.statementId());
            follow(run, started.get().lease());
        }
    }

    /**
     * A statement the previous owner started but did not record: found by the job's statement name, recorded
     * and followed, never started again.
     */
    private boolean resumeStatementOfPreviousOwner(Run run) throws InterruptedException {
        Optional<String> existing;
        try {
            existing = callDataApi(LIST_STATEMENTS, "look for the job's statement", run.deadline(),
                    () -> warehouse.findStatement(StatementRequests.statementNameOf(run.job.jobId())));
        } catch (RuntimeException e) {
            log.warn("could not look for a statement the previous owner may have started ({}); starting it with the job's client token",
                    describe(e));
            return false;
        }
        if (existing.isEmpty()) {
            return false;
        }
        Job running = run.job.status() == JobStatus.RUNNING ? run.job : run.job.transitionTo(JobStatus.RUNNING, clock.instant());
        run.started(existing.get());
        run.write(running.withStatementId(existing.get(), clock.instant()), leases.duration());
        messages.jobChanged(run.job);
        log.info("found statement {} the previous owner started; following it", existing.get());
        follow(run, null);
        return true;
    }

    /**
     * ExecuteStatement on one of the user's sessions, retried while the warehouse is throttling, overloaded or
     * unreachable, until the job's deadline; a refused warm session is discarded and the next attempt borrows again.
     */
    private Optional<Started> start(Run run) throws InterruptedException {
        Job job = run.job;
        String sql;
        try {
            sql = requests.sqlOf(job);
        } catch (UnloadStatement.MissingUnloadRoleException e) {
            log.error("cannot export this job's result: {}", e.getMessage());
            end(run, JobStatus.FAILED, JobError.of(ErrorCode.INTERNAL_ERROR,
                    "the service is not configured to export results as files; retry later or ask for another format"));
            return Optional.empty();
        }
        ResultFormatString format = StatementRequests.resultFormatOf(job);
        // An UNLOAD carries its query as a literal: a job that unloads has no bound parameter (Job.unloads()).
        List<QueryParameter> parameters = job.options().boundParameters();
        int attempt = 0;
        int refusedSessions = 0;
        while (true) {
            attempt++;
            Optional<SessionLease> borrowed = borrow(run, job.databaseUser());
            if (borrowed.isEmpty()) {
                end(run, JobStatus.TIMED_OUT, JobError.of(ErrorCode.QUERY_TIMED_OUT,
                        "no warehouse session became free before the job's deadline"));
                return Optional.empty();
            }
            SessionLease lease = borrowed.get();
            if (run.job.status() == JobStatus.QUEUED) {
                // Written just before the first attempt: a job its client cancelled meanwhile fails this write
                // (LeaseLost) and never reaches the warehouse.
                try {
                    run.write(run.job.transitionTo(JobStatus.RUNNING, clock.instant()), leases.duration());
                } catch (InterruptedException | RuntimeException e) {
                    lease.release();
                    throw e;
                }
                messages.jobChanged(run.job);
            }
            boolean warm = lease.sessionId().isPresent();
            String token = clientToken(job, refusedSessions);
            ExecuteStatementRequest request = lease.sessionId()
                    .map(sessionId -> requests.onSession(sessionId, sql, parameters, format, token, StatementRequests.statementNameOf(job.jobId())))
                    .orElseGet(() -> requests.openingSession(job.databaseUser(), sql, parameters, format, token,
                            StatementRequests.statementNameOf(job.jobId())));
            try {
                ExecuteStatementResponse response = warehouse.executeStatement(request);
                String statementId = requireNonNull(response.id(), "ExecuteStatement answered without a statement id");
                if (!warm && response.sessionId() != null) {
                    lease.opened(response.sessionId());
                }
                dataApiCalls.succeeded(EXECUTE_STATEMENT);
                return Optional.of(new Started(statementId, lease));
            } catch (RuntimeException e) {
                Verdict failure = warm ? classifier.classifyExecuteOnSession(e) : classifier.classify(e, Dependency.WAREHOUSE);
                boolean anotherSession = failure.kind() == Verdict.Kind.SESSION_REFUSED && refusedSessions < 3;
                dataApiCalls.failed(EXECUTE_STATEMENT, failure, anotherSession || (failure.isRetryable() && !run.pastDeadline()));
                if (anotherSession) {
                    log.info("the warehouse refused {} ({}); the next attempt takes another session", lease, describe(e));
                    lease.discard(EvictionReason.REFUSED);
                    refusedSessions++;
                    continue;
                }
                lease.release();
                if (!failure.isRetryable() && run.takenOver && resumeStatementOfPreviousOwner(run)) {
                    // Refused because the previous owner used the job's token on its own session, and its
                    // statement was not listed yet when this worker first looked: found and followed now.
                    return Optional.empty();
                }
                if (!failure.isRetryable()) {
                    log.info("statement not started: {} ({})", failure.code(), describe(e));
                    end(run, JobStatus.FAILED, JobError.of(failure.code(), failure.message()));
                    return Optional.empty();
                }
                if (run.pastDeadline()) {
                    end(run, JobStatus.FAILED, JobError.of(ErrorCode.WAREHOUSE_UNAVAILABLE,
                            "the warehouse did not take the statement before the job's deadline: " + failure.message()));
                    return Optional.empty();
                }
                Duration wait = statements.backoff().delayBefore(Math.min(attempt, 30), random);
                log.info("the warehouse did not take the statement ({}); attempt {}, retrying in {}", describe(e), attempt, readable(wait));
                run.pause(wait);
            }
        }
    }

    /**
     * One of the user's sessions, or a slot to open one: waits in the pool's line for as long as it takes,
     * renewing the lease meanwhile; empty past the job's deadline.
     */
    private Optional<SessionLease> borrow(Run run, String databaseUser) throws InterruptedException {
        try (SessionPool.Borrowing borrowing = sessions.borrow(databaseUser)) {
            while (true) {
                Optional<SessionLease> lease = borrowing.await(leases.renewEvery());
                if (lease.isPresent()) {
                    return lease;
                }
                if (run.pastDeadline()) {
                    return Optional.empty();
                }
                run.keepLease();
            }
        }
    }

    // --- RUNNING to DELIVERING or an end

    /**
     * Follows the statement until it ends, renewing the lease as it goes. While the statement is young (within
     * {@code long-poll-window}) it is long-polled, so its end is noticed at once; a statement that finds no
     * long poll free, and every older one, is asked about at a rate that falls as it ages (a call every few
     * seconds for a long query). Past the job's deadline the statement is cancelled.
     *
     * @param lease the session the statement runs on; null when this worker took over another's statement
     */
    private void follow(Run run, SessionLease lease) throws InterruptedException {
        String statementId = run.job.statementId();
        Instant followingSince = clock.instant();
        boolean endedOnSession = false;
        followed.incrementAndGet();
        try {
            while (true) {
                run.keepLease();
                Duration age = Duration.between(followingSince, clock.instant());
                boolean longPoll = age.compareTo(statements.longPollWindow()) < 0 && longPolls.tryAcquire();
                DescribeStatementResponse description;
                try {
                    description = callDataApi(DESCRIBE_STATEMENT, "describe statement " + statementId, run.deadline(), () -> longPoll
                            ? warehouse.describeStatement(statementId, statements.longPollWait())
                            : warehouse.describeStatement(statementId));
                } catch (RuntimeException lost) {
                    end(run, JobStatus.FAILED, JobError.of(ErrorCode.WAREHOUSE_UNAVAILABLE,
                            "the warehouse no longer answers for the statement: " + classifier.classify(lost, Dependency.WAREHOUSE).message()));
                    return;
                } finally {
                    if (longPoll) {
                        longPolls.release();
                    }
                }
                switch (description.status() == null ? "" : description.status().toString()) {
                    case "FINISHED" -> {
                        endedOnSession = true;
                        step("follow").record(Duration.between(followingSince, clock.instant()));
                        run.statementEnded(JobStatus.DELIVERING);
                        release(lease);
                        deliver(run, description);
                        return;
                    }
                    case "FAILED" -> {
                        endedOnSession = true;
                        run.statementEnded(JobStatus.FAILED);
                        release(lease);
                        end(run, JobStatus.FAILED, JobError.of(ErrorCode.QUERY_FAILED,
                                description.error() == null ? "the statement failed" : description.error()));
                        return;
                    }
                    case "ABORTED" -> {
                        run.statementEnded(JobStatus.CANCELLED);
                        end(run, JobStatus.CANCELLED, JobError.of(ErrorCode.QUERY_CANCELLED, "the statement was cancelled in the warehouse"));
                        return;
                    }
                    default -> {
                        if (run.pastDeadline()) {
                            run.statementEnded(JobStatus.TIMED_OUT);
                            run.cancelStatementOnce();
                            end(run, JobStatus.TIMED_OUT, JobError.of(ErrorCode.QUERY_TIMED_OUT,
                                    "the job ran longer than its timeout of " + run.timeout()));
                            return;
                        }
                        if (!longPoll) {
                            run.pause(pollDelay(age));
                        }
                    }
                }
            }
        } finally {
            followed.decrementAndGet();
            if (lease != null && !endedOnSession) {
                // Cancelled, timed out, lost or handed over: the session's state is unknown.
                lease.discard(EvictionReason.ABANDONED);
            }
        }
    }

    /**
     * Where a job's time goes in this worker: {@code claim} (load and lease), {@code start} (ExecuteStatement,
     * retries included), {@code record} (the statement id stored), {@code follow} (from then until the
     * statement's end was noticed), {@code hand_over} (DELIVERING stored and announced to the delivery workers).
     */
    private Timer step(String name) {
        return Timer.builder("spectra.jobs.step")
                .description("Time a job spent in one step of the query worker")
                .tag("step", name)
                .register(meters);
    }

    /** 10 ms at first, then a twentieth of the statement's age, at most {@code poll-interval}. */
    Duration pollDelay(Duration age) {
        Duration delay = age.dividedBy(20);
        Duration floor = Duration.ofMillis(10);
        if (delay.compareTo(floor) < 0) {
            return floor;
        }
        return delay.compareTo(statements.pollInterval()) > 0 ? statements.pollInterval() : delay;
    }

    private void deliver(Run run, DescribeStatementResponse description) throws InterruptedException {
        long rows = resultRows(description);
        long bytes = resultBytes(description);
        Timer.Sample handing = Timer.start(meters);
        run.write(run.job.transitionTo(JobStatus.DELIVERING, clock.instant()).withRowCount(rows), leases.deliveryGrace());
        announce(run, rows, bytes);
        handing.stop(step("hand_over"));
        messages.jobChanged(run.job);
        log.info("statement {} finished with {} rows; job is DELIVERING", run.job.statementId(), rows);
    }

    /** Rows of a finished statement's result; 0 when it has no result set (the Data API then says -1). */
    private static long resultRows(DescribeStatementResponse description) {
        return Boolean.TRUE.equals(description.hasResultSet()) && description.resultRows() != null ? description.resultRows() : 0;
    }

    private static long resultBytes(DescribeStatementResponse description) {
        return Boolean.TRUE.equals(description.hasResultSet()) && description.resultSize() != null ? description.resultSize() : 0;
    }

    /** A DELIVERING job whose announcement may never have reached the delivery workers: announce it again. */
    private void announceAgain(Run run) throws InterruptedException {
        if (!run.job.hasStatement()) {
            log.warn("job is DELIVERING without a statement; nothing to announce");
            return;
        }
        DescribeStatementResponse description = callDataApi(DESCRIBE_STATEMENT, "describe statement " + run.job.statementId(),
                clock.instant().plus(leases.duration()), () -> warehouse.describeStatement(run.job.statementId()));
        announce(run, run.job.rowCount() == null ? 0 : run.job.rowCount(), resultBytes(description));
    }

    /**
     * Hands the statement to the delivery workers, retrying until the broker has the message or the delivery
     * grace runs out; then the lease lapses and a sweeper announces it again.
     */
    private void announce(Run run, long rows, long bytes) throws InterruptedException {
        Job job = run.job;
        StatementFinished message = new StatementFinished(job.jobId(), job.tenantId(), job.statementId(), rows, bytes);
        untilDone("announce statement " + job.statementId(), clock.instant().plus(leases.deliveryGrace()), Dependency.WAREHOUSE, () -> {
            try {
                messages.statementFinished(message).get(statements.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException | TimeoutException e) {
                throw new BrokerUnavailable(e);
            }
        });
    }

    private void end(Run run, JobStatus status, JobError error) throws InterruptedException {
        run.write(run.job.endWith(status, error, clock.instant()), null);
        audit.record(AuditRecord.ended(run.job, clock.instant()));
        messages.jobChanged(run.job);
        // The code only: the warehouse's message may quote the query.
        log.info("job {} with {}", status, error.code());
        jobMetrics.ended(run.job);
    }

    private void cancel(String statementId) {
        try {
            warehouse.cancelStatement(statementId);
            dataApiCalls.succeeded(CANCEL_STATEMENT);
        } catch (RuntimeException e) {
            dataApiCalls.failed(CANCEL_STATEMENT, classifier.classify(e, Dependency.WAREHOUSE), false);
            // It may have ended meanwhile; the job's ending stands either way.
            log.warn("could not cancel statement {} ({})", statementId, describe(e));
        }
    }

    private static void release(SessionLease lease) {
        if (lease != null) {
            lease.release();
        }
    }

    // --- retries

    /**
     * Repeats a call while it fails transiently, with capped backoff, until {@code deadline}; then the last
     * failure is thrown. A fatal failure is thrown at once.
     */
    private <T> T untilDone(String what, Instant deadline, Dependency dependency, Callable<T> call) throws InterruptedException {
        return untilDone(what, deadline, dependency, null, call);
    }

    /** A Data API call, retried as {@link #untilDone} does; each attempt is counted under {@code operation}. */
    private <T> T callDataApi(String operation, String what, Instant deadline, Callable<T> call) throws InterruptedException {
        return untilDone(what, deadline, Dependency.WAREHOUSE, operation, call);
    }

    /** @param dataApiOperation the Data API operation whose attempts {@code spectra.dataapi.calls} counts; null for other calls */
    private <T> T untilDone(String what, Instant deadline, Dependency dependency, String dataApiOperation, Callable<T> call)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                T answer = call.call();
                if (dataApiOperation != null) {
                    dataApiCalls.succeeded(dataApiOperation);
                }
                return answer;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                RuntimeException failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                Verdict verdict = classifier.classify(failure, dependency);
                boolean retryable = e instanceof BrokerUnavailable || verdict.isRetryable();
                Duration wait = statements.backoff().delayBefore(Math.min(attempt, 30), random);
                boolean retrying = retryable && !clock.instant().plus(wait).isAfter(deadline);
                if (dataApiOperation != null) {
                    dataApiCalls.failed(dataApiOperation, verdict, retrying);
                }
                if (!retrying) {
                    throw failure;
                }
                log.warn("could not {} ({}), attempt {}; retrying in {}", what, describe(e), attempt, readable(wait));
                Thread.sleep(wait);
            }
        }
    }

    /** A claim given up because the worker is stopping still leaves the thread interrupted, so the job hands over. */
    private static void keepInterrupt(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    /** Derived from the job id, so that every attempt at the job's statement, by any worker, is the same request. */
    static String clientToken(Job job, int refusedSessions) {
        return refusedSessions == 0 ? job.jobId().value() : job.jobId().value() + "-" + refusedSessions;
    }

    private static void withJobContext(TenantId tenantId, JobId jobId, Runnable action) {
        MDC.put(JOB_ID, jobId.value());
        MDC.put(TENANT_ID, tenantId.value());
        try {
            action.run();
        } finally {
            MDC.remove(JOB_ID);
            MDC.remove(TENANT_ID);
        }
    }

    static String readable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    static String describe(Throwable failure) {
        Throwable cause = failure.getCause() != null && !(failure instanceof SdkException)
                ? failure.getCause() : failure;
        return cause.getClass().getSimpleName();
    }

    /** This worker's hold on one job: the job as last written, and the lease it renews. One thread only. */
    private final class Run {
        private Job job;
        private Instant renewAfter;
        private boolean takenOver;
        /** When this worker claimed the job first (its wait in the queue ended); null for a job taken over. */
        private Instant firstClaimedAt;

        /** The statement this run started or follows; read by the cancel listener's thread. */
        private volatile String startedStatement;
        private final java.util.concurrent.atomic.AtomicBoolean statementCancelled = new java.util.concurrent.atomic.AtomicBoolean();

        Run(Job claimed) {
            this.job = claimed;
            this.renewAfter = clock.instant().plus(leases.renewEvery());
            this.startedStatement = claimed.statementId();
        }

        void started(String statementId) {
            startedStatement = statementId;
        }

        /** The statement ended; {@code next}: the job's state that follows. Timed from the first claim, when this worker made it. */
        void statementEnded(JobStatus next) {
            if (firstClaimedAt != null) {
                jobMetrics.statementEnded(job, Duration.between(firstClaimedAt, clock.instant()), next);
            }
        }

        /** Cancels this run's statement in the warehouse, once whoever asks first (the cancel listener or the run). */
        void cancelStatementOnce() {
            String statementId = startedStatement;
            if (statementId != null && statementCancelled.compareAndSet(false, true)) {
                cancel(statementId);
            }
        }

        Instant deadline() {
            return job.deadline(statements.timeout());
        }

        /** The job's own time, for the words of a TIMED_OUT ending. */
        String timeout() {
            return readable(Duration.between(job.submittedAt(), deadline()));
        }

        boolean pastDeadline() {
            return !clock.instant().isBefore(deadline());
        }

        /**
         * Writes {@code next} with a lease of {@code term} (null for an ending), compare-and-set on the version
         * this run last wrote. Throws {@link LeaseLost} when another writer changed the job meanwhile.
         */
        void write(Job next, Duration term) throws InterruptedException {
            Job leased = term == null ? next : next.leasedTo(leases.workerId(), clock.instant().plus(term));
            Job current = job;
            Optional<Job> written = untilDone("write the job", clock.instant().plus(leases.duration()), Dependency.STORAGE,
                    () -> jobs.replace(current, leased));
            if (written.isEmpty()) {
                throw new LeaseLost("the job changed under this worker (version " + current.version() + ")");
            }
            job = written.get();
            renewAfter = clock.instant().plus(leases.renewEvery());
        }

        /** Renews the lease once a third of it has passed. */
        void keepLease() throws InterruptedException {
            if (!clock.instant().isBefore(renewAfter)) {
                Duration term = job.status() == JobStatus.DELIVERING ? leases.deliveryGrace() : leases.duration();
                write(job, term);
            }
        }

        /** Waits {@code wait} of real time, renewing the lease on the way as often as it needs. */
        void pause(Duration wait) throws InterruptedException {
            long end = System.nanoTime() + wait.toNanos();
            while (true) {
                keepLease();
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                Thread.sleep(Duration.ofNanos(Math.min(left, leases.renewEvery().toNanos())));
            }
        }

        /** The worker stops: give the job up at once, so that another worker's sweeper takes it without waiting. */
        void handOver() {
            if (job.status().isTerminal()) {
                return;
            }
            try {
                jobs.replace(job, job.leasedTo(leases.workerId(), clock.instant()));
                log.info("worker stopping; handed the job over in state {}", job.status());
            } catch (RuntimeException e) {
                log.info("worker stopping; the job's lease will lapse ({})", describe(e));
            }
        }
    }

    private record Started(String statementId, SessionLease lease) {
    }

    /** Another writer changed the job: it is not this worker's any more. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(String message) {
            super(message, null, false, false);
        }
    }

    /** The broker did not take a message in time; worth retrying. */
    private static final class BrokerUnavailable extends RuntimeException {
        BrokerUnavailable(Throwable cause) {
            super("the broker did not take the message", cause, false, false);
        }
    }
}
