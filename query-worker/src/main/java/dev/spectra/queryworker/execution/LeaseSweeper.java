package dev.spectra.queryworker.execution;

import dev.spectra.common.job.JobStore;
import dev.spectra.common.job.JobTable.JobKey;
import dev.spectra.queryworker.config.LeasesProperties;
import dev.spectra.queryworker.session.SessionPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Zombie detection, in every worker: every {@code sweep-interval} it asks the job table's index of active
 * jobs for leases that lapsed (a worker died, froze or stopped; a new job's first-claim deadline passed
 * because its message never arrived) and takes each over on a virtual thread. Losing the race to another
 * worker's sweeper is the normal case in a fleet and costs one failed compare-and-set.
 */
public final class LeaseSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);
    private static final int BATCH_PER_SHARD = 25;

    private final JobStore jobs;
    private final JobPerformer performer;
    private final JobThreads threads;
    private final ScheduledExecutorService scheduler;
    private final LeasesProperties leases;
    private final Clock clock;
    private final Counter found;
    private volatile ScheduledFuture<?> sweeping;

    public LeaseSweeper(JobStore jobs, JobPerformer performer, JobThreads threads, ScheduledExecutorService scheduler,
            LeasesProperties leases, Clock clock, MeterRegistry meters) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.performer = requireNonNull(performer, "performer is null");
        this.threads = requireNonNull(threads, "threads is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.leases = requireNonNull(leases, "leases is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.found = Counter.builder("spectra.leases.lapsed")
                .description("Jobs the sweeper found with a lapsed lease")
                .register(meters);
    }

    /** One sweep; public for tests, which drive it directly. */
    public int sweep() {
        List<JobKey> lapsed;
        try {
            lapsed = jobs.expiredLeases(clock.instant(), BATCH_PER_SHARD);
        } catch (RuntimeException e) {
            log.warn("could not look for lapsed leases ({}); next sweep in {}", e.getClass().getSimpleName(), leases.sweepInterval());
            return 0;
        }
        int started = 0;
        for (JobKey job : lapsed) {
            found.increment();
            try {
                if (threads.start(job, false, () -> performer.takeOver(job.tenantId(), job.jobId()))) {
                    started++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return started;
            }
        }
        return started;
    }

    @Override
    public void start() {
        long interval = leases.sweepInterval().toMillis();
        sweeping = scheduler.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                // An exception would cancel the periodic task, and with it every takeover.
                log.error("lease sweep failed", e);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledFuture<?> task = sweeping;
        sweeping = null;
        if (task != null) {
            task.cancel(false);
        }
    }

    @Override
    public boolean isRunning() {
        return sweeping != null;
    }

    @Override
    public int getPhase() {
        return SessionPool.PHASE + 2;
    }
}
