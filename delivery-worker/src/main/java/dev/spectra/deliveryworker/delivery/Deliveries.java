package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs deliveries concurrently, each on a virtual thread of its own, so that one tenant's long export never holds
 * up another's small result. A delivery first waits for its tenant's turn (at most {@code max-per-tenant} of one
 * tenant at once), then for one of the {@code max-in-flight} places, which bound the heap deliveries take; waiting
 * for its tenant's turn it holds no place, so a tenant with many results waiting never keeps another tenant's
 * delivery from a free place. The consumer waits only when {@link #MAX_ACCEPTED_PER_PLACE} times the places are
 * accepted and unfinished. A job already being delivered here is not started again (a sweeper announced it again
 * while its delivery ran). The record is acknowledged once its delivery is accepted: from there the job's lease,
 * not the Kafka offset, guards it.
 */
@Component
public class Deliveries implements SmartLifecycle {

    /** Deliveries accepted and not finished, waiting or running, per place: what makes the consumer wait. */
    static final int MAX_ACCEPTED_PER_PLACE = 64;

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** What delivers one finished statement: {@link DeliveryPerformer#perform}. */
    interface Delivery {
        DeliveryOutcome perform(StatementFinished finished);
    }

    private final Delivery delivery;
    private final Semaphore accepted;
    private final Semaphore places;
    private final int perTenant;
    private final ConcurrentHashMap<TenantId, Semaphore> tenants = new ConcurrentHashMap<>();
    private final Set<JobId> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter duplicates;
    private volatile ExecutorService threads;

    @Autowired
    public Deliveries(DeliveryPerformer performer, DeliveryProperties delivery, MeterRegistry meters) {
        this(performer::perform, delivery, meters);
    }

    Deliveries(Delivery delivery, DeliveryProperties properties, MeterRegistry meters) {
        this.delivery = delivery;
        this.places = new Semaphore(properties.maxInFlight(), true);
        this.accepted = new Semaphore(properties.maxInFlight() * MAX_ACCEPTED_PER_PLACE, true);
        this.perTenant = properties.maxPerTenant();
        Gauge.builder("spectra.delivery.in_flight", running, AtomicInteger::get)
                .description("Deliveries running now").register(meters);
        Gauge.builder("spectra.delivery.waiting", waiting, AtomicInteger::get)
                .description("Deliveries waiting for their tenant's turn or a free place").register(meters);
        this.duplicates = Counter.builder("spectra.delivery.duplicates")
                .description("Announcements of a job already being delivered by this worker, not started again").register(meters);
    }

    /** Accepts {@code finished} for delivery; waits, on the caller's thread, only while too many are accepted. */
    public void submit(StatementFinished finished) throws InterruptedException {
        ExecutorService executor = threads;
        if (executor == null) {
            throw new DeliveryDeferredException("deliveries are stopped", null);
        }
        if (!inFlight.add(finished.jobId())) {
            duplicates.increment();
            log.info("job {} is being delivered here already: not starting it again", finished.jobId().value());
            return;
        }
        try {
            accepted.acquire();
        } catch (InterruptedException e) {
            inFlight.remove(finished.jobId());
            throw e;
        }
        try {
            executor.execute(() -> run(finished));
        } catch (RuntimeException e) {
            accepted.release();
            inFlight.remove(finished.jobId());
            throw e;
        }
    }

    private void run(StatementFinished finished) {
        Semaphore turns = tenants.computeIfAbsent(finished.tenantId(), tenant -> new Semaphore(perTenant, true));
        try {
            waiting.incrementAndGet();
            try {
                turns.acquire();
                try {
                    places.acquire();
                } catch (InterruptedException e) {
                    turns.release();
                    throw e;
                }
            } finally {
                waiting.decrementAndGet();
            }
            running.incrementAndGet();
            try {
                delivery.perform(finished);
            } finally {
                inFlight.remove(finished.jobId());
                running.decrementAndGet();
                places.release();
                turns.release();
            }
        } catch (InterruptedException stopping) {
            // Not started: the job's lease (held by the query worker that announced it) brings it back.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("delivery of job {} failed unexpectedly", finished.jobId().value(), e);
        } finally {
            inFlight.remove(finished.jobId());
            accepted.release();
        }
    }

    /**
     * A delivery's thread carries on the trace (and any other context) of the record that started it: the trace begun at
     * the job's submission reaches the delivery's log lines and the job events it sends.
     */
    @Override
    public void start() {
        threads = ContextExecutorService.wrap(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("delivery-", 0).factory()),
                ContextSnapshotFactory.builder().build()::captureAll);
    }

    /** Lets running deliveries finish for a while, then interrupts them: they hand their jobs over. */
    @Override
    public void stop() {
        ExecutorService executor = threads;
        threads = null;
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return threads != null;
    }

    /**
     * Below the Kafka listener containers' phase ({@code Integer.MAX_VALUE - 100}): started before them, stopped
     * after them, so that no record arrives once deliveries stop.
     */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }
}
