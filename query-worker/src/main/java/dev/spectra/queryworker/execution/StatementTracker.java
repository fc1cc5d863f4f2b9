package dev.spectra.queryworker.execution;

import dev.spectra.queryworker.config.StatementsProperties;
import dev.spectra.queryworker.session.SessionPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Follows every statement in flight with one shared poller: each {@code poll-interval} it asks the Data API
 * about every statement that is not being asked about already, on the AWS-call pool. No thread waits for a
 * statement. A statement still running {@code timeout} after the warehouse accepted it is cancelled.
 *
 * <p>Stopping only stops asking. Statements keep running in the warehouse; their request records are not
 * acknowledged, so another worker gets them and re-attaches.
 */
public final class StatementTracker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StatementTracker.class);

    private final Warehouse warehouse;
    private final ScheduledExecutorService scheduler;
    private final FailureClassifier classifier;
    private final StatementsProperties settings;
    private final Clock clock;
    // Keyed by tracking, not by statement id: a job redelivered to this worker while it is still followed is
    // simply followed twice, and the compare-and-set on the job lets one of the two record the outcome.
    private final Set<Tracked> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private ScheduledFuture<?> poller;

    public StatementTracker(Warehouse warehouse, ScheduledExecutorService scheduler, FailureClassifier classifier,
            StatementsProperties settings, Clock clock, MeterRegistry meters) {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.classifier = requireNonNull(classifier, "classifier is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        Gauge.builder("spectra.statements.tracked", inFlight, Set::size)
                .description("Statements this worker is following in the warehouse")
                .register(meters);
    }

    /**
     * Follows {@code statementId} until it ends, then hands its outcome to {@code onOutcome} (on the job's
     * executor, once).
     *
     * @return false when the tracker is stopped and will not follow the statement
     */
    public boolean track(String statementId, JobRun run, Consumer<StatementOutcome> onOutcome) {
        requireNonNull(statementId, "statementId is null");
        if (!running) {
            return false;
        }
        inFlight.add(new Tracked(statementId, run, onOutcome, clock.instant()));
        return true;
    }

    private void pollAll() {
        for (Tracked statement : inFlight) {
            if (statement.polling.compareAndSet(false, true)) {
                try {
                    statement.run.executor().execute(() -> poll(statement));
                } catch (RejectedExecutionException stopping) {
                    statement.polling.set(false);
                }
            }
        }
    }

    private void poll(Tracked statement) {
        try {
            DescribeStatementResponse description = warehouse.describeStatement(statement.id);
            StatusString status = description.status();
            if (status == null) {
                cancelIfOverdue(statement, description.createdAt());
                return;
            }
            switch (status) {
                case FINISHED -> finish(statement, finished(description));
                case FAILED -> finish(statement, new StatementOutcome.Failed(
                        description.error() == null ? "the statement failed" : description.error()));
                case ABORTED -> finish(statement, new StatementOutcome.Aborted());
                default -> cancelIfOverdue(statement, description.createdAt());
            }
        } catch (RuntimeException e) {
            FailureClassifier.Failure failure = classifier.classify(e, false);
            if (failure.isTransient()) {
                log.warn("could not describe statement {} ({}); asking again at the next poll",
                        statement.id, JobSteps.describe(e));
                cancelIfOverdue(statement, null);
            } else {
                log.warn("the warehouse no longer answers for statement {} ({})", statement.id, JobSteps.describe(e));
                finish(statement, new StatementOutcome.Lost(
                        "the warehouse no longer knows the statement: " + failure.message()));
            }
        } finally {
            statement.polling.set(false);
        }
    }

    private static StatementOutcome.Finished finished(DescribeStatementResponse description) {
        if (!Boolean.TRUE.equals(description.hasResultSet())) {
            return new StatementOutcome.Finished(0, 0);
        }
        return new StatementOutcome.Finished(orZero(description.resultRows()), orZero(description.resultSize()));
    }

    /** Measured from the warehouse's own creation time when known, so every worker agrees on the deadline. */
    private void cancelIfOverdue(Tracked statement, Instant createdAt) {
        Instant startedAt = createdAt == null ? statement.trackedSince : createdAt;
        if (clock.instant().isBefore(startedAt.plus(settings.timeout()))) {
            return;
        }
        log.info("statement {} is still running after {}; cancelling it", statement.id, JobSteps.readable(settings.timeout()));
        try {
            warehouse.cancelStatement(statement.id);
        } catch (RuntimeException e) {
            // It may have ended meanwhile; the job ends TIMED_OUT either way, it did exceed its time.
            log.warn("could not cancel statement {} ({})", statement.id, JobSteps.describe(e));
        }
        finish(statement, new StatementOutcome.TimedOut(settings.timeout()));
    }

    private void finish(Tracked statement, StatementOutcome outcome) {
        if (inFlight.remove(statement)) {
            try {
                statement.onOutcome.accept(outcome);
            } catch (RuntimeException e) {
                statement.run.abandon("could not record the outcome of statement " + statement.id, e);
            }
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    @Override
    public void start() {
        running = true;
        long interval = settings.pollInterval().toMillis();
        poller = scheduler.scheduleWithFixedDelay(this::pollAllSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void pollAllSafely() {
        try {
            pollAll();
        } catch (RuntimeException e) {
            // An exception would silently cancel the periodic task, and with it every statement's tracking.
            log.error("statement poll failed", e);
        }
    }

    /** Stops polling and forgets the statements, which keep running; see the class comment. */
    @Override
    public void stop() {
        running = false;
        if (poller != null) {
            poller.cancel(false);
        }
        if (!inFlight.isEmpty()) {
            log.info("stopped following {} statements; they keep running and their jobs will be re-attached elsewhere",
                    inFlight.size());
        }
        inFlight.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SessionPool.PHASE;
    }

    private static final class Tracked {
        final String id;
        final JobRun run;
        final Consumer<StatementOutcome> onOutcome;
        final Instant trackedSince;
        final AtomicBoolean polling = new AtomicBoolean();

        Tracked(String id, JobRun run, Consumer<StatementOutcome> onOutcome, Instant trackedSince) {
            this.id = id;
            this.run = run;
            this.onOutcome = onOutcome;
            this.trackedSince = trackedSince;
        }
    }
}
