package dev.spectra.queryworker.session;

import dev.spectra.queryworker.config.SessionsProperties;
import dev.spectra.common.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SessionPoolTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private SessionPool pool = startedPool(2, 1, Duration.ofMinutes(2));

    @AfterEach
    void stop() {
        pool.stop();
        scheduler.shutdownNow();
    }

    @Test
    void lendsAReturnedSessionOnlyToTheUserThatOpenedIt() {
        SessionLease acme = pool.borrow("acme_reader").join();
        acme.opened("session-1");
        acme.release();

        SessionLease globex = pool.borrow("globex_reader").join();
        SessionLease acmeAgain = pool.borrow("acme_reader").join();

        assertThat(globex.sessionId()).isEmpty();
        assertThat(acmeAgain.sessionId()).contains("session-1");
        assertThat(borrowed("cold")).isEqualTo(2);
        assertThat(borrowed("warm")).isEqualTo(1);
    }

    @Test
    void lendsTheMostRecentlyReturnedSession() {
        SessionLease first = pool.borrow("acme_reader").join();
        SessionLease second = pool.borrow("acme_reader").join();
        first.opened("session-1");
        second.opened("session-2");
        first.release();
        second.release();

        assertThat(pool.borrow("acme_reader").join().sessionId()).contains("session-2");
    }

    @Test
    void queuesBorrowersAtTheBoundAndHandsThemTheReturnedSession() {
        SessionLease first = pool.borrow("acme_reader").join();
        pool.borrow("acme_reader").join();
        first.opened("session-1");

        CompletableFuture<SessionLease> waiting = pool.borrow("acme_reader");
        assertThat(waiting).isNotDone();

        first.release();
        assertThat(waiting).isCompleted();
        assertThat(waiting.join().sessionId()).contains("session-1");
    }

    @Test
    void handsAWaiterTheSlotOfADiscardedSession() {
        SessionLease first = pool.borrow("acme_reader").join();
        pool.borrow("acme_reader").join();
        first.opened("session-1");
        CompletableFuture<SessionLease> waiting = pool.borrow("acme_reader");

        first.discard(EvictionReason.ABANDONED);

        assertThat(waiting.join().sessionId()).isEmpty();
        assertThat(meters.get("spectra.sessions.evicted").tag("reason", "abandoned").counter().count()).isEqualTo(1);
        assertThat(openSessions()).isZero();
    }

    @Test
    void refusesBorrowersBeyondTheWaitingLimit() {
        pool.borrow("acme_reader").join();
        pool.borrow("acme_reader").join();
        pool.borrow("acme_reader");

        assertThat(pool.borrow("acme_reader")).failsWithin(Duration.ZERO)
                .withThrowableThat().withCauseInstanceOf(NoSessionAvailableException.class);
    }

    @Test
    void refusesAWaiterThatWaitedLongerThanMaxWait() {
        pool.stop();
        pool = startedPool(1, 1, Duration.ofMillis(50));
        pool.borrow("acme_reader").join();

        CompletableFuture<SessionLease> waiting = pool.borrow("acme_reader");

        await().until(waiting::isDone);
        assertThat(waiting).isCompletedExceptionally();
        assertThat(waiting.handle((lease, failure) -> failure)).succeedsWithin(Duration.ZERO)
                .isInstanceOf(NoSessionAvailableException.class);
    }

    @Test
    void dropsIdleSessionsWhoseKeepAliveRunsOutWithinTheMargin() {
        SessionLease lease = pool.borrow("acme_reader").join();
        lease.opened("session-1");
        lease.release();

        clock.advance(Duration.ofMinutes(10).minusSeconds(30));

        assertThat(pool.borrow("acme_reader").join().sessionId()).isEmpty();
        assertThat(meters.get("spectra.sessions.evicted").tag("reason", "expired").counter().count()).isEqualTo(1);
    }

    @Test
    void keepsTheSlotWhenARefusedSessionIsReopened() {
        SessionLease lease = pool.borrow("acme_reader").join();
        lease.opened("session-1");
        lease.release();
        SessionLease warm = pool.borrow("acme_reader").join();

        warm.reopen();
        warm.opened("session-2");

        assertThat(warm.sessionId()).contains("session-2");
        assertThat(openSessions()).isEqualTo(1);
        assertThat(meters.get("spectra.sessions.evicted").tag("reason", "refused").counter().count()).isEqualTo(1);
    }

    @Test
    void endsALeaseOnlyOnce() {
        SessionLease lease = pool.borrow("acme_reader").join();
        lease.opened("session-1");

        lease.release();
        lease.release();
        lease.discard(EvictionReason.ABANDONED);

        pool.borrow("acme_reader").join();
        assertThat(pool.borrow("acme_reader").join().sessionId()).isEmpty();
        assertThat(pool.borrow("acme_reader")).isNotDone();
    }

    @Test
    void refusesWaitersAndBorrowersOnceStopped() {
        pool.borrow("acme_reader").join();
        pool.borrow("acme_reader").join();
        CompletableFuture<SessionLease> waiting = pool.borrow("acme_reader");

        pool.stop();

        assertThat(waiting).isCompletedExceptionally();
        assertThat(pool.borrow("acme_reader")).failsWithin(Duration.ZERO)
                .withThrowableThat().withCauseInstanceOf(SessionPoolStoppedException.class);
    }

    private SessionPool startedPool(int maxPerUser, int maxWaiting, Duration maxWait) {
        SessionPool started = new SessionPool(
                new SessionsProperties(maxPerUser, Duration.ofMinutes(10), Duration.ofSeconds(30), maxWaiting, maxWait),
                clock, scheduler, meters);
        started.start();
        return started;
    }

    private double borrowed(String outcome) {
        return meters.get("spectra.sessions.borrowed").tag("outcome", outcome).counter().count();
    }

    private double openSessions() {
        return meters.get("spectra.sessions.open").gauge().value();
    }
}
