package dev.spectra.gateway.sql;

import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TenantBulkheadTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopPool() {
        release.countDown();
        pool.shutdownNow();
    }

    @Test
    void aTenantWithItsLaneFullDoesNotDelayAnotherTenant() {
        TenantBulkhead bulkhead = new TenantBulkhead(pool, 1, 10);
        for (int i = 0; i < 5; i++) {
            bulkhead.submit(ACME, this::blockUntilReleased).subscribe();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bulkhead.pending(ACME) == 5);

        String answer = bulkhead.submit(GLOBEX, () -> "globex done").block(Duration.ofSeconds(5));

        assertThat(answer).isEqualTo("globex done");
        assertThat(bulkhead.pending(ACME)).as("acme's work still waits behind its first task").isEqualTo(5);
    }

    @Test
    void runsAtMostTheTenantsShareAtOnce() {
        TenantBulkhead bulkhead = new TenantBulkhead(Executors.newFixedThreadPool(8), 2, 20);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Mono<Integer>> work = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            work.add(bulkhead.submit(ACME, () -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                TimeUnit.MILLISECONDS.sleep(20);
                running.decrementAndGet();
                return 1;
            }));
        }

        Integer done = Mono.zip(work, results -> results.length).block(Duration.ofSeconds(10));

        assertThat(done).isEqualTo(12);
        assertThat(mostAtOnce.get()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> bulkhead.pending(ACME) == 0);
    }

    @Test
    void refusesATenantWhoseQueueIsFull() {
        TenantBulkhead bulkhead = new TenantBulkhead(pool, 1, 2);
        for (int i = 0; i < 3; i++) {
            bulkhead.submit(ACME, this::blockUntilReleased).subscribe();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bulkhead.pending(ACME) == 3);

        assertThatThrownBy(() -> bulkhead.submit(ACME, () -> "one too many").block(Duration.ofSeconds(5)))
                .isInstanceOf(TenantBulkhead.TenantBusyException.class);
        assertThat(bulkhead.submit(GLOBEX, () -> "globex").block(Duration.ofSeconds(5))).isEqualTo("globex");
    }

    @Test
    void forgetsAWaitingTaskWhoseCallerWentAway() {
        TenantBulkhead bulkhead = new TenantBulkhead(pool, 1, 5);
        bulkhead.submit(ACME, this::blockUntilReleased).subscribe();
        var waiting = bulkhead.submit(ACME, () -> "never needed").subscribe();
        await().atMost(Duration.ofSeconds(5)).until(() -> bulkhead.pending(ACME) == 2);

        waiting.dispose();

        assertThat(bulkhead.pending(ACME)).isEqualTo(1);
    }

    @Test
    void passesTheWorksFailureToItsCaller() {
        TenantBulkhead bulkhead = new TenantBulkhead(pool, 1, 5);

        assertThatThrownBy(() -> bulkhead.submit(ACME, () -> {
            throw new IllegalStateException("parser broke");
        }).block(Duration.ofSeconds(5))).hasMessageContaining("parser broke");
        assertThat(bulkhead.submit(ACME, () -> "next").block(Duration.ofSeconds(5))).isEqualTo("next");
    }

    private String blockUntilReleased() throws InterruptedException {
        release.await();
        return "released";
    }
}
