package dev.spectra.queryworker.testing;

import dev.spectra.common.aws.AwsFailureClassifier;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobTable.JobKey;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.common.testing.MutableClock;
import dev.spectra.common.testing.RecordingAuditTrail;
import dev.spectra.queryworker.config.LeasesProperties;
import dev.spectra.queryworker.config.SchedulingProperties;
import dev.spectra.queryworker.config.ResultsProperties;
import dev.spectra.queryworker.config.SessionsProperties;
import org.springframework.util.unit.DataSize;
import dev.spectra.queryworker.config.StatementsProperties;
import dev.spectra.queryworker.config.WarehouseProperties;
import dev.spectra.queryworker.execution.JobPerformer;
import dev.spectra.queryworker.execution.JobThreads;
import dev.spectra.queryworker.execution.LeaseSweeper;
import dev.spectra.queryworker.execution.StatementRequests;
import dev.spectra.queryworker.scheduling.FairScheduler;
import dev.spectra.queryworker.session.SessionPool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One query worker wired as in production, with fakes at the AWS and Kafka boundaries, a clock the test
 * moves (deadlines, leases, session keep-alives) and quick real-time polling and backoff. Several harnesses
 * may share one job store and warehouse: a fleet.
 */
public final class WorkerHarness implements AutoCloseable {

    public static final Duration JOB_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration LEASE = Duration.ofSeconds(15);

    public final MutableClock clock;
    public final FakeWarehouse warehouse;
    public final InMemoryJobStore jobs;
    public final RecordingJobMessages messages = new RecordingJobMessages();
    public final RecordingAuditTrail audit = new RecordingAuditTrail();
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final String workerId;
    public final SessionPool sessions;
    public final FairScheduler scheduler;
    public final JobThreads threads;
    public final JobPerformer performer;
    public final LeaseSweeper sweeper;

    private final ScheduledExecutorService platformScheduler = Executors.newSingleThreadScheduledExecutor();

    public WorkerHarness() {
        this(new Settings(100, 4, "worker-1"));
    }

    public WorkerHarness(Settings settings) {
        this(settings, new MutableClock(JobFixtures.SUBMITTED_AT), null, new InMemoryJobStore());
    }

    /** Another worker of the same fleet: same job table, warehouse and clock. */
    public WorkerHarness joining(String otherWorkerId) {
        return new WorkerHarness(new Settings(100, 4, otherWorkerId), clock, warehouse, jobs);
    }

    private WorkerHarness(Settings settings, MutableClock clock, FakeWarehouse warehouse, InMemoryJobStore jobs) {
        this.clock = clock;
        this.warehouse = warehouse == null ? new FakeWarehouse(clock) : warehouse;
        this.jobs = jobs;
        this.workerId = settings.workerId();
        SessionsProperties sessionSettings = new SessionsProperties(settings.maxOpenSessions(), Duration.ofMinutes(10), Duration.ofSeconds(30));
        StatementsProperties statementSettings = new StatementsProperties(
                settings.pollInterval(), JOB_TIMEOUT, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2),
                settings.longPollWindow(), Duration.ofSeconds(1), 8);
        LeasesProperties leaseSettings = new LeasesProperties(LEASE, Duration.ofHours(1), Duration.ofMinutes(5), workerId);
        SchedulingProperties scheduling = new SchedulingProperties(settings.maxRunning(), settings.maxRunning(), settings.runningPerTenant());
        sessions = new SessionPool(sessionSettings, clock, meters);
        scheduler = new FairScheduler(scheduling.maxRunning(), scheduling.maxRunningPerTenant(), meters);
        threads = new JobThreads(scheduling, meters);
        performer = new JobPerformer(jobs, this.warehouse,
                new StatementRequests(new WarehouseProperties("spectra", null, "dev"), sessionSettings, settings.results()),
                sessions, scheduler, messages, new AwsFailureClassifier(), statementSettings, leaseSettings, clock, meters, audit);
        sweeper = new LeaseSweeper(jobs, performer, threads, platformScheduler, leaseSettings, clock, meters);
        sessions.start();
        threads.start();
    }

    /**
     * @param maxOpenSessions  sessions this worker may hold in the warehouse at once
     * @param runningPerTenant statements one tenant may run at once in this worker, for jobs that carry no limit
     * @param longPollWindow   {@code spectra.statements.long-poll-window}
     * @param maxRunning       statements (and jobs) this worker holds at once
     * @param pollInterval     {@code spectra.statements.poll-interval}
     */
    public record Settings(int maxOpenSessions, int runningPerTenant, String workerId, Duration longPollWindow,
            int maxRunning, Duration pollInterval, ResultsProperties results) {

        /** 100 jobs at most, without long polling: the harness's clock stands still, a long poll would wait in real time. */
        public Settings(int maxOpenSessions, int runningPerTenant, String workerId) {
            this(maxOpenSessions, runningPerTenant, workerId, Duration.ZERO, 100, Duration.ofMillis(20), RESULTS);
        }

        /** Statements younger than {@code window} (by the harness's clock) are long-polled. */
        public Settings withLongPolling(Duration window) {
            return new Settings(maxOpenSessions, runningPerTenant, workerId, window, maxRunning, pollInterval, results);
        }

        /** Room for {@code statements} at once (jobs, running statements, sessions), each asked about every {@code pollInterval}. */
        public Settings withCapacity(int statements, Duration pollInterval) {
            return new Settings(statements, runningPerTenant, workerId, longPollWindow, statements, pollInterval, results);
        }

        /** A worker deployed without {@code spectra.results.unload-iam-role}. */
        public Settings withoutUnloadRole() {
            return new Settings(maxOpenSessions, runningPerTenant, workerId, longPollWindow, maxRunning, pollInterval,
                    new ResultsProperties(results.bucket(), null, results.maxFileSize()));
        }
    }

    /** The results bucket and an unload role, as a deployment configures them. */
    public static final ResultsProperties RESULTS = new ResultsProperties("spectra-results",
            "arn:aws:iam::123456789012:role/spectra-unload", DataSize.ofMegabytes(128));

    /** Stores the job as the gateway would and delivers its request record to the worker. */
    public Run submit(Job job) {
        jobs.put(job);
        return redeliver(job);
    }

    /** Delivers the job's request record again, leaving the job table as it is. */
    public Run redeliver(Job job) {
        Run run = new Run(job);
        try {
            boolean started = threads.start(new JobKey(job.tenantId(), job.jobId()), true, () -> {
                try {
                    performer.perform(new JobRequested(job.jobId(), job.tenantId(), job.submittedAt()), run);
                } finally {
                    run.finished.set(true);
                }
            });
            if (!started) {
                run.run();
                run.finished.set(true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return run;
    }

    public Job stored(Job job) {
        return jobs.get(job);
    }

    /** Stops the worker as Spring does: job threads hand their jobs over, the session pool stops. */
    public void stop() {
        sweeper.stop();
        threads.stop();
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
        platformScheduler.shutdownNow();
    }

    /** One request record: when it was acknowledged (and the job's state then), and when its job left the worker. */
    public final class Run implements Runnable {
        private final Job job;
        private final List<JobStatus> statusesWhenAcknowledged = new CopyOnWriteArrayList<>();
        private final List<Instant> acknowledgedAt = new CopyOnWriteArrayList<>();
        private final AtomicBoolean finished = new AtomicBoolean();

        private Run(Job job) {
            this.job = job;
        }

        /** The acknowledgement of the record. */
        @Override
        public void run() {
            Job current = stored(job);
            statusesWhenAcknowledged.add(current == null ? null : current.status());
            acknowledgedAt.add(clock.instant());
        }

        public boolean acknowledged() {
            return !statusesWhenAcknowledged.isEmpty();
        }

        /** The job's thread in this worker returned: the job ended, reached DELIVERING, or left this worker. */
        public boolean finished() {
            return finished.get();
        }

        public int acknowledgements() {
            return statusesWhenAcknowledged.size();
        }

        public JobStatus jobStatusWhenAcknowledged() {
            return statusesWhenAcknowledged.getFirst();
        }
    }
}
