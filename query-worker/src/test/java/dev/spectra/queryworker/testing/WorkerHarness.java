package dev.spectra.queryworker.testing;

import dev.spectra.common.testing.MutableClock;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.queryworker.config.SessionsProperties;
import dev.spectra.queryworker.config.StatementsProperties;
import dev.spectra.queryworker.config.WarehouseProperties;
import dev.spectra.queryworker.execution.FailureClassifier;
import dev.spectra.queryworker.execution.JobPerformer;
import dev.spectra.queryworker.execution.JobSteps;
import dev.spectra.queryworker.execution.OutcomeRecorder;
import dev.spectra.queryworker.execution.StatementLauncher;
import dev.spectra.queryworker.execution.StatementRequests;
import dev.spectra.queryworker.execution.StatementTracker;
import dev.spectra.queryworker.session.SessionPool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The worker wired as in production, with fakes at the AWS and Kafka boundaries, a clock the test moves,
 * and quick polling and backoff.
 */
public final class WorkerHarness implements AutoCloseable {

    public static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(15);
    public static final int MAX_EXECUTE_ATTEMPTS = 3;

    public final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    public final FakeWarehouse warehouse = new FakeWarehouse(clock);
    public final InMemoryJobStore jobs = new InMemoryJobStore();
    public final RecordingJobMessages messages = new RecordingJobMessages();
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final SessionPool sessions;
    public final StatementTracker tracker;
    public final JobPerformer performer;

    private final ExecutorService calls = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    public WorkerHarness() {
        this(4);
    }

    public WorkerHarness(int maxSessionsPerUser) {
        SessionsProperties sessionSettings = new SessionsProperties(
                maxSessionsPerUser, Duration.ofMinutes(10), Duration.ofSeconds(30), 100, Duration.ofMinutes(2));
        StatementsProperties statementSettings = new StatementsProperties(
                Duration.ofMillis(10), STATEMENT_TIMEOUT, MAX_EXECUTE_ATTEMPTS, Duration.ofMillis(10), Duration.ofMillis(40), 4);
        FailureClassifier classifier = new FailureClassifier();
        JobSteps steps = new JobSteps(calls, scheduler, classifier, statementSettings);
        sessions = new SessionPool(sessionSettings, clock, scheduler, meters);
        tracker = new StatementTracker(warehouse, scheduler, classifier, statementSettings, clock, meters);
        OutcomeRecorder recorder = new OutcomeRecorder(jobs, messages, warehouse, steps, classifier, clock, meters);
        StatementLauncher launcher = new StatementLauncher(sessions, warehouse,
                new StatementRequests(new WarehouseProperties("spectra", null, "dev"), sessionSettings),
                jobs, tracker, recorder, steps, classifier, statementSettings, clock);
        performer = new JobPerformer(jobs, launcher, recorder, messages, steps, clock);
        sessions.start();
        tracker.start();
    }

    /** Stores the job as the gateway would and delivers its request record to the worker. */
    public Acknowledgement submit(Job job) {
        jobs.put(job);
        return redeliver(job);
    }

    /** Delivers the job's request record again, leaving the job table as it is. */
    public Acknowledgement redeliver(Job job) {
        Acknowledgement acknowledgement = new Acknowledgement(job);
        performer.perform(new JobRequested(job.jobId(), job.tenantId(), job.submittedAt()), acknowledgement);
        return acknowledgement;
    }

    public Job stored(Job job) {
        return jobs.get(job);
    }

    /** Stops the worker as Spring does: the tracker and the session pool stop, the threads stay. */
    public void stop() {
        tracker.stop();
        sessions.stop();
    }

    public double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    public double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Override
    public void close() {
        stop();
        calls.shutdownNow();
        scheduler.shutdownNow();
    }

    /** One request record's acknowledgement, remembering the job's state (null: no such job) when it happened. */
    public final class Acknowledgement implements Runnable {
        private final Job job;
        private final List<JobStatus> statusesWhenAcknowledged = new CopyOnWriteArrayList<>();

        private Acknowledgement(Job job) {
            this.job = job;
        }

        @Override
        public void run() {
            Job current = stored(job);
            statusesWhenAcknowledged.add(current == null ? null : current.status());
        }

        public boolean done() {
            return !statusesWhenAcknowledged.isEmpty();
        }

        public int count() {
            return statusesWhenAcknowledged.size();
        }

        public JobStatus jobStatusWhenAcknowledged() {
            return statusesWhenAcknowledged.getFirst();
        }
    }
}
