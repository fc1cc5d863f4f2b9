package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.job.JobId;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class DeliveriesTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch acmeMayFinish = new CountDownLatch(1);
    private final List<JobId> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<JobId, AtomicInteger> performed = new ConcurrentHashMap<>();
    private Deliveries deliveries;

    @AfterEach
    void stop() {
        acmeMayFinish.countDown();
        if (deliveries != null) {
            deliveries.stop();
        }
    }

    @Test
    void manyResultsOfOneTenantWaitingForItsTurnLeaveAFreePlaceForAnotherTenant() throws Exception {
        // Two places, one turn per tenant: acme's first delivery blocks, its next twenty wait for acme's turn.
        deliveries = start(2, 1);
        for (int i = 0; i < 21; i++) {
            deliveries.submit(finished(ACME));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 1);

        StatementFinished globex = finished(GLOBEX);
        deliveries.submit(globex);

        await().atMost(Duration.ofSeconds(5)).until(() -> started.contains(globex.jobId()));
        assertThat(started).hasSize(2);
        assertThat(registry.get("spectra.delivery.waiting").gauge().value()).isEqualTo(20);
    }

    @Test
    void aJobAnnouncedAgainWhileItsDeliveryRunsIsNotStartedTwice() throws Exception {
        deliveries = start(4, 2);
        StatementFinished export = finished(ACME);
        deliveries.submit(export);
        await().atMost(Duration.ofSeconds(5)).until(() -> started.contains(export.jobId()));

        deliveries.submit(export);
        deliveries.submit(export);
        acmeMayFinish.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("spectra.delivery.in_flight").gauge().value() == 0);
        assertThat(performed.get(export.jobId())).hasValue(1);
        assertThat(registry.get("spectra.delivery.duplicates").counter().count()).isEqualTo(2);
    }

    @Test
    void aJobAnnouncedAgainAfterItsDeliveryEndedIsDeliveredAgain() throws Exception {
        deliveries = start(4, 2);
        acmeMayFinish.countDown();
        StatementFinished job = finished(ACME);
        deliveries.submit(job);
        await().atMost(Duration.ofSeconds(5)).until(() -> performed.containsKey(job.jobId())
                && registry.get("spectra.delivery.in_flight").gauge().value() == 0);

        deliveries.submit(job);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(performed.get(job.jobId())).hasValue(2));
    }

    private Deliveries start(int maxInFlight, int maxPerTenant) {
        DeliveryProperties properties = new DeliveryProperties(DataSize.ofKilobytes(64), DataSize.ofMegabytes(25), DataSize.ofMegabytes(1),
                DataSize.ofMegabytes(128), DataSize.ofGigabytes(10), Duration.ofSeconds(30), maxInFlight, maxPerTenant, 4,
                DataSize.ofMegabytes(5), new DeliveryProperties.Retry(3, Duration.ofMillis(100), Duration.ofSeconds(1), 0));
        Deliveries started = new Deliveries(this::perform, properties, registry);
        started.start();
        return started;
    }

    private DeliveryOutcome perform(StatementFinished finished) {
        started.add(finished.jobId());
        if (finished.tenantId().equals(ACME)) {
            try {
                if (!acmeMayFinish.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("acme's delivery was never let finish");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return DeliveryOutcome.DEFERRED;
            }
        }
        performed.computeIfAbsent(finished.jobId(), job -> new AtomicInteger()).incrementAndGet();
        return DeliveryOutcome.DELIVERED;
    }

    private static StatementFinished finished(TenantId tenant) {
        return new StatementFinished(StatementFinished.SCHEMA_VERSION, JobId.random(), tenant, "stmt-" + System.nanoTime(), 1, 10);
    }
}
