package dev.spectra.queryworker.session;

import dev.spectra.common.testing.MutableClock;
import dev.spectra.queryworker.config.SessionsProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionPoolTest {

    private static final Duration KEEP_ALIVE = Duration.ofMinutes(10);
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Duration NO_WAIT = Duration.ZERO;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private SessionPool pool = startedPool(4);

    @AfterEach
    void stop() {
        pool.stop();
    }

    @Test
    void lendsAReturnedSessionOnlyToTheUserThatOpenedIt() throws InterruptedException {
        SessionLease acme = lendNow("acme_reader");
        acme.opened("session-1");
        acme.release();

        SessionLease globex = lendNow("globex_reader");
        SessionLease acmeAgain = lendNow("acme_reader");

        assertThat(globex.sessionId()).isEmpty();
        assertThat(acmeAgain.sessionId()).contains("session-1");
        assertThat(borrowed("cold")).isEqualTo(2);
        assertThat(borrowed("warm")).isEqualTo(1);
    }

    @Test
    void lendsTheMostRecentlyReturnedSession() throws InterruptedException {
        SessionLease first = lendNow("acme_reader");
        SessionLease second = lendNow("acme_reader");
        first.opened("session-1");
        second.opened("session-2");
        first.release();
        second.release();

        assertThat(lendNow("acme_reader").sessionId()).contains("session-2");
    }

    @Test
    void atTheCapABorrowWaitsUntilAnIdleSessionOfAnotherUserLapsesAndNeverGetsThatSession() throws InterruptedException {
        restartWithMaxOpen(2);
        returnIdle("acme_reader", "session-1", "session-2");

        SessionPool.Borrowing globex = pool.borrow("globex_reader");

        assertThat(globex.await(NO_WAIT)).isEmpty();
        assertThat(gauge("spectra.sessions.waiting")).isEqualTo(1);
        assertThat(gauge("spectra.sessions.open")).isEqualTo(2);
        // Too close to its end to be lent, but the warehouse still holds it until then.
        clock.advance(KEEP_ALIVE.minus(MARGIN));
        assertThat(globex.await(NO_WAIT)).isEmpty();
        assertThat(gauge("spectra.sessions.open")).isEqualTo(2);

        clock.advance(MARGIN);

        Optional<SessionLease> lent = globex.await(NO_WAIT);
        assertThat(lent).hasValueSatisfying(lease -> {
            assertThat(lease.sessionId()).isEmpty();
            assertThat(lease.databaseUser()).isEqualTo("globex_reader");
        });
        assertThat(gauge("spectra.sessions.waiting")).isZero();
        assertThat(gauge("spectra.sessions.open")).isEqualTo(1);
        assertThat(meters.get("spectra.sessions.waited").tag("outcome", "lent").timer().count()).isEqualTo(1);
    }

    @Test
    void aWaitingBorrowGetsItsOwnUsersReturnedSessionAtOnce() throws InterruptedException {
        restartWithMaxOpen(1);
        SessionLease running = lendNow("acme_reader");
        running.opened("session-1");
        SessionPool.Borrowing next = pool.borrow("acme_reader");
        assertThat(next.await(NO_WAIT)).isEmpty();

        running.release();

        assertThat(next.await(NO_WAIT)).hasValueSatisfying(lease -> assertThat(lease.sessionId()).contains("session-1"));
    }

    @Test
    void aReturnedSessionGoesToAWaiterOfItsOwnUserEvenWhenAnotherUserWaitedLonger() throws InterruptedException {
        restartWithMaxOpen(1);
        SessionLease running = lendNow("acme_reader");
        running.opened("session-1");
        SessionPool.Borrowing globex = pool.borrow("globex_reader");
        SessionPool.Borrowing acme = pool.borrow("acme_reader");

        running.release();

        assertThat(acme.await(NO_WAIT)).hasValueSatisfying(lease -> assertThat(lease.sessionId()).contains("session-1"));
        assertThat(globex.await(NO_WAIT)).isEmpty();
    }

    @Test
    void freedSlotsGoToTheWaitingBorrowsFirstComeFirstServed() throws InterruptedException {
        restartWithMaxOpen(1);
        SessionLease running = lendNow("acme_reader");
        SessionPool.Borrowing globex = pool.borrow("globex_reader");
        SessionPool.Borrowing initech = pool.borrow("initech_reader");

        // The statement never opened a session: its slot frees at once.
        running.release();

        assertThat(initech.await(NO_WAIT)).isEmpty();
        SessionLease globexLease = globex.await(NO_WAIT).orElseThrow();
        globexLease.release();
        assertThat(initech.await(NO_WAIT)).isPresent();
    }

    @Test
    void aNewBorrowDoesNotOvertakeTheWaitingOnesForAFreedSlot() throws InterruptedException {
        restartWithMaxOpen(1);
        SessionLease running = lendNow("acme_reader");
        SessionPool.Borrowing globex = pool.borrow("globex_reader");

        running.release();
        SessionPool.Borrowing latecomer = pool.borrow("initech_reader");

        assertThat(latecomer.await(NO_WAIT)).isEmpty();
        assertThat(globex.await(NO_WAIT)).isPresent();
    }

    @Test
    void aSlotFreedByTheClockGoesToTheBorrowWaitingLongestNotToTheOneThatNoticedIt() throws InterruptedException {
        restartWithMaxOpen(1);
        returnIdle("acme_reader", "session-1");
        SessionPool.Borrowing globex = pool.borrow("globex_reader");
        clock.advance(KEEP_ALIVE);

        SessionPool.Borrowing initech = pool.borrow("initech_reader");

        assertThat(initech.await(NO_WAIT)).isEmpty();
        assertThat(globex.await(NO_WAIT)).isPresent();
    }

    @Test
    void aForgottenSessionCountsUntilItsKeepAliveEnds() throws InterruptedException {
        restartWithMaxOpen(1);
        SessionLease abandoned = lendNow("acme_reader");
        abandoned.opened("session-1");
        abandoned.discard(EvictionReason.ABANDONED);
        SessionPool.Borrowing next = pool.borrow("acme_reader");

        assertThat(next.await(NO_WAIT)).isEmpty();
        assertThat(gauge("spectra.sessions.open")).isEqualTo(1);
        assertThat(meters.get("spectra.sessions.evicted").tag("reason", "abandoned").counter().count()).isEqualTo(1);

        clock.advance(KEEP_ALIVE);

        assertThat(next.await(NO_WAIT)).hasValueSatisfying(lease -> assertThat(lease.sessionId()).isEmpty());
    }

    @Test
    void aRefusedSessionIsNeverLentAgainAndCountsUntilItsKeepAliveEnds() throws InterruptedException {
        returnIdle("acme_reader", "session-1");
        SessionLease warm = lendNow("acme_reader");

        warm.discard(EvictionReason.REFUSED);
        SessionLease retry = lendNow("acme_reader");

        assertThat(retry.sessionId()).isEmpty();
        assertThat(gauge("spectra.sessions.open")).isEqualTo(2);
        assertThat(meters.get("spectra.sessions.evicted").tag("reason", "refused").counter().count()).isEqualTo(1);
    }

    @Test
    void aWaitEndsEmptyAfterItsSliceKeepingItsPlaceAndClosingGivesThePlaceUp() throws InterruptedException {
        restartWithMaxOpen(1);
        SessionLease running = lendNow("acme_reader");
        SessionPool.Borrowing first = pool.borrow("globex_reader");
        SessionPool.Borrowing second = pool.borrow("initech_reader");

        assertThat(first.await(Duration.ofMillis(20))).isEmpty();
        first.close();
        running.release();

        assertThat(second.await(NO_WAIT)).isPresent();
        assertThat(meters.get("spectra.sessions.waited").tag("outcome", "gave_up").timer().count()).isEqualTo(1);
    }

    @Test
    void aLeaseLentToABorrowingClosedBeforeTakingItGoesBack() throws InterruptedException {
        restartWithMaxOpen(1);
        SessionLease running = lendNow("acme_reader");
        running.opened("session-1");
        SessionPool.Borrowing gaveUp = pool.borrow("acme_reader");

        running.release();
        gaveUp.close();

        assertThat(lendNow("acme_reader").sessionId()).contains("session-1");
    }

    @Test
    void doesNotLendAnIdleSessionWhoseKeepAliveRunsOutWithinTheMargin() throws InterruptedException {
        returnIdle("acme_reader", "session-1");

        clock.advance(KEEP_ALIVE.minus(MARGIN));

        assertThat(lendNow("acme_reader").sessionId()).isEmpty();
        assertThat(meters.get("spectra.sessions.evicted").tag("reason", "expired").counter().count()).isEqualTo(1);
    }

    @Test
    void endsALeaseOnlyOnce() throws InterruptedException {
        restartWithMaxOpen(2);
        SessionLease lease = lendNow("acme_reader");
        lease.opened("session-1");

        lease.release();
        lease.release();
        lease.discard(EvictionReason.ABANDONED);

        assertThat(gauge("spectra.sessions.open")).isEqualTo(1);
        lendNow("acme_reader");
        assertThat(lendNow("acme_reader").sessionId()).isEmpty();
        assertThat(pool.borrow("acme_reader").await(NO_WAIT)).isEmpty();
    }

    @Test
    void refusesWaitersAndBorrowersOnceStopped() throws InterruptedException {
        restartWithMaxOpen(1);
        lendNow("acme_reader");
        SessionPool.Borrowing waiting = pool.borrow("acme_reader");

        pool.stop();

        assertThatThrownBy(() -> waiting.await(Duration.ofSeconds(5))).isInstanceOf(SessionPoolStoppedException.class);
        assertThatThrownBy(() -> pool.borrow("acme_reader")).isInstanceOf(SessionPoolStoppedException.class);
    }

    @Test
    void concurrentBorrowersOnVirtualThreadsNeverCountMoreThanTheCapOpenAndNeverGetAnotherUsersSession() throws Exception {
        restartWithMaxOpen(3);
        List<String> users = List.of("acme_reader", "globex_reader", "initech_reader", "hooli_reader", "umbrella_reader");
        Map<String, String> openedBy = new ConcurrentHashMap<>();
        Map<String, String> lentToAnotherUser = new ConcurrentHashMap<>();
        AtomicInteger held = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        List<Thread> statements = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String user = users.get(i % users.size());
            statements.add(Thread.ofVirtual().start(() -> {
                try (SessionPool.Borrowing borrowing = pool.borrow(user)) {
                    Optional<SessionLease> lent = borrowing.await(Duration.ofMillis(10));
                    while (lent.isEmpty()) {
                        // Other users' idle sessions fill the pool: let time pass until they lapse.
                        clock.advance(KEEP_ALIVE);
                        lent = borrowing.await(Duration.ofMillis(10));
                    }
                    SessionLease lease = lent.get();
                    mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                    lease.sessionId().ifPresentOrElse(
                            session -> {
                                if (!openedBy.get(session).equals(user)) {
                                    lentToAnotherUser.put(session, user);
                                }
                            },
                            () -> {
                                String session = UUID.randomUUID().toString();
                                openedBy.put(session, user);
                                lease.opened(session);
                            });
                    mostOpen.accumulateAndGet(pool.open(), Math::max);
                    Thread.yield();
                    held.decrementAndGet();
                    lease.release();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread statement : statements) {
            statement.join();
        }

        assertThat(lentToAnotherUser).isEmpty();
        assertThat(mostHeld.get()).isBetween(1, 3);
        assertThat(mostOpen.get()).isBetween(1, 3);
        assertThat(pool.waiting()).isZero();
    }

    private SessionLease lendNow(String databaseUser) throws InterruptedException {
        return pool.borrow(databaseUser).await(NO_WAIT).orElseThrow(() -> new AssertionError("no session lent at once"));
    }

    /** Sessions of the user, opened side by side and returned: idle, the last one most recently. */
    private void returnIdle(String databaseUser, String... sessionIds) throws InterruptedException {
        List<SessionLease> leases = new ArrayList<>();
        for (String sessionId : sessionIds) {
            SessionLease lease = lendNow(databaseUser);
            lease.opened(sessionId);
            leases.add(lease);
        }
        leases.forEach(SessionLease::release);
    }

    private void restartWithMaxOpen(int maxOpen) {
        pool.stop();
        pool = startedPool(maxOpen);
    }

    private SessionPool startedPool(int maxOpen) {
        meters.clear();
        SessionPool started = new SessionPool(new SessionsProperties(maxOpen, KEEP_ALIVE, MARGIN), clock, meters);
        started.start();
        return started;
    }

    private double borrowed(String outcome) {
        return meters.get("spectra.sessions.borrowed").tag("outcome", outcome).counter().count();
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }
}
