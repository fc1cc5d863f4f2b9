package dev.spectra.queryworker.execution;

import dev.spectra.common.job.JobTable.JobKey;
import dev.spectra.queryworker.config.SchedulingProperties;
import dev.spectra.queryworker.session.SessionPool;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The jobs this worker holds, one virtual thread each, at most {@code max-jobs-in-flight} at once and never
 * two for the same job. Stopping interrupts them: each hands its job over (its lease lapses at once), and
 * whatever statement it ran keeps running for the worker that takes the job next.
 */
public final class JobThreads implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobThreads.class);
    private static final Duration HAND_OVER_WAIT = Duration.ofSeconds(5);

    private final Semaphore places;
    private final Set<JobKey> held = ConcurrentHashMap.newKeySet();
    private volatile ExecutorService threads;

    public JobThreads(SchedulingProperties scheduling, MeterRegistry meters) {
        this.places = new Semaphore(requireNonNull(scheduling, "scheduling is null").maxJobsInFlight());
        Gauge.builder("spectra.jobs.in_flight", held, Set::size)
                .description("Jobs this worker holds, waiting for their turn or running")
                .register(meters);
    }

    /**
     * Runs {@code work} for the job on a virtual thread of its own.
     *
     * @param waitForPlace block until a place is free (the listener: back-pressure on the consumer), or give
     *                     up at once (the sweeper: another sweep will come)
     * @return false when the job is already held here, the worker is full (and may not wait) or stopping
     */
    public boolean start(JobKey job, boolean waitForPlace, Runnable work) throws InterruptedException {
        ExecutorService executor = threads;
        if (executor == null || !held.add(job)) {
            return false;
        }
        boolean placed = waitForPlace ? acquire() : places.tryAcquire();
        if (!placed) {
            held.remove(job);
            return false;
        }
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } finally {
                    held.remove(job);
                    places.release();
                }
            });
            return true;
        } catch (RejectedExecutionException stopping) {
            held.remove(job);
            places.release();
            return false;
        }
    }

    private boolean acquire() throws InterruptedException {
        places.acquire();
        return true;
    }

    public int held() {
        return held.size();
    }

    /**
     * A job's thread carries on the trace (and any other context) of whoever started it: a request record's trace,
     * begun at the job's submission, reaches the job's log lines and the records it sends.
     */
    @Override
    public void start() {
        threads = ContextExecutorService.wrap(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory()),
                ContextSnapshotFactory.builder().build()::captureAll);
    }

    @Override
    public void stop() {
        ExecutorService executor = threads;
        threads = null;
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(HAND_OVER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} jobs did not hand over within {}; their leases will lapse", held.size(), HAND_OVER_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return threads != null;
    }

    /** Stops after the listener containers (no new records) and before the session pool. */
    @Override
    public int getPhase() {
        return SessionPool.PHASE + 1;
    }
}
