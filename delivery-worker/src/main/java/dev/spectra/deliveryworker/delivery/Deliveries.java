package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs deliveries concurrently, each on a virtual thread of its own, so that one tenant's long export never holds
 * up another's small result. At most {@code max-in-flight} at once (the consumer waits for a free place: that
 * bounds the heap), of which at most {@code max-per-tenant} for one tenant (a delivery waits for its tenant's turn
 * on its own thread, holding no place). The record is acknowledged once its delivery started: from there the job's
 * lease, not the Kafka offset, guards it.
 */
@Component
public class Deliveries implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final DeliveryPerformer performer;
    private final Semaphore places;
    private final int perTenant;
    private final ConcurrentHashMap<TenantId, Semaphore> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile ExecutorService threads;

    public Deliveries(DeliveryPerformer performer, DeliveryProperties delivery, MeterRegistry meters) {
        this.performer = performer;
        this.places = new Semaphore(delivery.maxInFlight(), true);
        this.perTenant = delivery.maxPerTenant();
        Gauge.builder("spectra.delivery.in_flight", running, AtomicInteger::get)
                .description("Deliveries running now").register(meters);
        Gauge.builder("spectra.delivery.waiting", waiting, AtomicInteger::get)
                .description("Deliveries waiting for their tenant's turn").register(meters);
    }

    /** Starts delivering {@code finished}; waits, on the caller's thread, only for a free place. */
    public void submit(StatementFinished finished) throws InterruptedException {
        ExecutorService executor = threads;
        if (executor == null) {
            throw new DeliveryDeferredException("deliveries are stopped", null);
        }
        places.acquire();
        try {
            executor.execute(() -> run(finished));
        } catch (RuntimeException e) {
            places.release();
            throw e;
        }
    }

    private void run(StatementFinished finished) {
        Semaphore turns = tenants.computeIfAbsent(finished.tenantId(), tenant -> new Semaphore(perTenant, true));
        try {
            waiting.incrementAndGet();
            try {
                turns.acquire();
            } finally {
                waiting.decrementAndGet();
            }
            running.incrementAndGet();
            try {
                performer.perform(finished);
            } finally {
                running.decrementAndGet();
                turns.release();
            }
        } catch (InterruptedException stopping) {
            // Not started: the job's lease (held by the query worker that announced it) brings it back.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("delivery of job {} failed unexpectedly", finished.jobId().value(), e);
        } finally {
            places.release();
        }
    }

    @Override
    public void start() {
        threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("delivery-", 0).factory());
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
