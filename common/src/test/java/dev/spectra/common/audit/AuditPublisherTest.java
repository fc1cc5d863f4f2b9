package dev.spectra.common.audit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AuditPublisherTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:15:30Z");
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final List<String> sent = new CopyOnWriteArrayList<>();

    @AfterEach
    void clearTheLoggingContext() {
        MDC.clear();
    }

    @Test
    void aRecordIsSentKeyedByItsTenantAndCounted() throws Exception {
        try (AuditPublisher publisher = new AuditPublisher(AuditRecord::toString, (key, json) -> {
            sent.add(key + "=" + json);
            return CompletableFuture.completedFuture(null);
        }, AuditPublisher.boundedSender(10), outcomes::add)) {
            publisher.record(AuditRecord.of(AuditRecord.Decision.REFUSED, NOW).withTenant(AuditRecord.Tenant.claimed("acme")));
            awaitOutcomes(1);
        }

        assertThat(sent).singleElement().asString().startsWith("acme=AuditRecord[");
        assertThat(outcomes).containsExactly("sent");
    }

    @Test
    void aSendThatFailsOrThrowsIsCountedAndNeverReachesTheCaller() throws Exception {
        try (AuditPublisher failing = new AuditPublisher(AuditRecord::toString,
                (key, json) -> CompletableFuture.failedFuture(new IllegalStateException("broker away")), AuditPublisher.boundedSender(10),
                outcomes::add);
             AuditPublisher throwing = new AuditPublisher(AuditRecord::toString, (key, json) -> {
                 throw new IllegalStateException("no metadata");
             }, AuditPublisher.boundedSender(10), outcomes::add)) {
            failing.record(AuditRecord.of(AuditRecord.Decision.ACCEPTED, NOW));
            throwing.record(AuditRecord.of(AuditRecord.Decision.ACCEPTED, NOW));
            awaitOutcomes(2);
        }

        assertThat(outcomes).containsExactly("failed", "failed");
    }

    @Test
    void aSenderThatIsStuckNeverHoldsTheCallerRecordsBeyondTheQueueAreDropped() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        ExecutorService sender = AuditPublisher.boundedSender(2);
        try (AuditPublisher publisher = new AuditPublisher(AuditRecord::toString, (key, json) -> {
            try {
                stuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture(null);
        }, sender, outcomes::add)) {
            long started = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                publisher.record(AuditRecord.of(AuditRecord.Decision.ACCEPTED, NOW));
            }

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_000);
            // one record held by the stuck sender, two queued behind it, two dropped
            assertThat(outcomes).containsExactly("dropped", "dropped");
            stuck.countDown();
        }
    }

    @Test
    void aRecordTakesTheTraceIdOfTheLoggingContext() throws Exception {
        List<AuditRecord> written = new CopyOnWriteArrayList<>();
        MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        try (AuditPublisher publisher = new AuditPublisher(record -> {
            written.add(record);
            return "{}";
        }, (key, json) -> CompletableFuture.completedFuture(null), AuditPublisher.boundedSender(10), outcomes::add)) {
            publisher.record(AuditRecord.of(AuditRecord.Decision.ACCEPTED, NOW));
            publisher.record(AuditRecord.of(AuditRecord.Decision.ENDED, NOW).withTraceId("0af7651916cd43dd8448eb211c80319c"));
        }

        assertThat(written).extracting(AuditRecord::traceId)
                .containsExactly("4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c");
    }

    private void awaitOutcomes(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (outcomes.size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
