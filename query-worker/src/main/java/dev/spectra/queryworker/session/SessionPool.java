package dev.spectra.queryworker.session;

import dev.spectra.queryworker.config.SessionsProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Warm Data API sessions, per database user. A Data API session runs one statement at a time and stays
 * open for {@code keep-alive} after its last statement finished; reusing it saves the warehouse
 * connecting and authenticating the user again.
 *
 * <p>Each database user gets at most {@code max-per-user} sessions. {@link #borrow} lends the most recently
 * returned idle session, or a slot to open a new one, or (at the bound) queues the caller; the returned
 * future completes when a session is returned or a slot frees up. A session is only ever lent to the user
 * that opened it: the warehouse runs the statement as that user, which is the tenant wall.
 *
 * <p>The pool does no I/O: callers run the statements and report back through the {@link SessionLease}.
 * All state sits behind one lock; waiters are completed after it is released.
 */
public final class SessionPool implements SmartLifecycle {

    /** Starts before and stops after the Kafka listener containers, so no record arrives at a stopped pool. */
    public static final int PHASE = Integer.MAX_VALUE - 1000;

    /** Only keeps the open-sessions gauge honest for users that stopped sending work; borrowing sweeps too. */
    private static final Duration SWEEP_PERIOD = Duration.ofSeconds(30);

    private final SessionsProperties settings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Counter warmBorrows;
    private final Counter coldBorrows;
    private final Map<EvictionReason, Counter> evictions = new EnumMap<>(EvictionReason.class);
    private final AtomicInteger openSessions = new AtomicInteger();

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, UserSessions> users = new HashMap<>(); // guarded by lock
    private volatile boolean running; // written under lock
    private ScheduledFuture<?> sweeper;

    public SessionPool(SessionsProperties settings, Clock clock, ScheduledExecutorService scheduler, MeterRegistry meters) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.warmBorrows = borrowCounter(meters, "warm");
        this.coldBorrows = borrowCounter(meters, "cold");
        for (EvictionReason reason : EvictionReason.values()) {
            evictions.put(reason, Counter.builder("spectra.sessions.evicted")
                    .description("Sessions dropped from the pool")
                    .tag("reason", reason.tag())
                    .register(meters));
        }
        Gauge.builder("spectra.sessions.open", openSessions, AtomicInteger::get)
                .description("Data API sessions this worker holds, idle or running a statement")
                .register(meters);
    }

    private static Counter borrowCounter(MeterRegistry meters, String outcome) {
        return Counter.builder("spectra.sessions.borrowed")
                .description("Sessions lent to statements: warm (reused) or cold (opened by the statement)")
                .tag("outcome", outcome)
                .register(meters);
    }

    /**
     * A lease on one of {@code databaseUser}'s sessions. Fails with {@link NoSessionAvailableException} when
     * too many statements of the user are waiting already or the wait exceeds {@code max-wait}, and with
     * {@link SessionPoolStoppedException} once the worker stops.
     */
    public CompletableFuture<SessionLease> borrow(String databaseUser) {
        requireNonNull(databaseUser, "databaseUser is null");
        lock.lock();
        try {
            if (!running) {
                return CompletableFuture.failedFuture(new SessionPoolStoppedException());
            }
            UserSessions user = users.computeIfAbsent(databaseUser, UserSessions::new);
            dropExpired(user, clock.instant());
            IdleSession idle = user.idle.pollLast();
            if (idle != null || user.size() < settings.maxPerUser()) {
                user.leased++;
                return CompletableFuture.completedFuture(lend(user, idle == null ? null : idle.id()));
            }
            if (user.waiters.size() >= settings.maxWaitingPerUser()) {
                return CompletableFuture.failedFuture(new NoSessionAvailableException(
                        "%d statements of this database user are already waiting for a session"
                                .formatted(user.waiters.size())));
            }
            return enqueue(user);
        } finally {
            lock.unlock();
        }
    }

    private CompletableFuture<SessionLease> enqueue(UserSessions user) {
        Waiter waiter = new Waiter(user.databaseUser);
        try {
            waiter.timeout = scheduler.schedule(() -> giveUp(waiter), settings.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            return CompletableFuture.failedFuture(new SessionPoolStoppedException());
        }
        user.waiters.addLast(waiter);
        return waiter.future;
    }

    private void giveUp(Waiter waiter) {
        boolean removed;
        lock.lock();
        try {
            UserSessions user = users.get(waiter.databaseUser);
            removed = user != null && user.waiters.remove(waiter);
            if (user != null) {
                removeIfUnused(user);
            }
        } finally {
            lock.unlock();
        }
        if (removed) {
            waiter.future.completeExceptionally(new NoSessionAvailableException(
                    "no session of this database user became free within " + settings.maxWait()));
        }
    }

    /** Ends a lease: {@code sessionId} goes back to the idle sessions (or to the first waiter); null frees the slot. */
    void giveBack(SessionLease lease, String sessionId) {
        Waiter next;
        SessionLease handOff = null;
        lock.lock();
        try {
            UserSessions user = users.get(lease.databaseUser());
            if (!running || user == null) {
                if (sessionId != null) {
                    openSessions.decrementAndGet();
                }
                return;
            }
            next = user.waiters.pollFirst();
            if (next != null) {
                // The slot passes straight to the waiter, with the session if there is one.
                handOff = lend(user, sessionId);
            } else {
                user.leased--;
                if (sessionId != null) {
                    user.idle.addLast(new IdleSession(sessionId, clock.instant().plus(settings.keepAlive())));
                }
                removeIfUnused(user);
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            next.timeout.cancel(false);
            if (!next.future.complete(handOff)) {
                handOff.release();
            }
        }
    }

    void sessionOpened() {
        openSessions.incrementAndGet();
    }

    void sessionEvicted(EvictionReason reason) {
        openSessions.decrementAndGet();
        evictions.get(reason).increment();
    }

    private SessionLease lend(UserSessions user, String sessionId) {
        (sessionId == null ? coldBorrows : warmBorrows).increment();
        return new SessionLease(this, user.databaseUser, sessionId);
    }

    /** Drops idle sessions whose keep-alive runs out within the safety margin. Caller holds the lock. */
    private void dropExpired(UserSessions user, Instant now) {
        Instant usableUntil = now.plus(settings.expiryMargin());
        for (Iterator<IdleSession> sessions = user.idle.iterator(); sessions.hasNext(); ) {
            if (!usableUntil.isBefore(sessions.next().expiresAt())) {
                sessions.remove();
                sessionEvicted(EvictionReason.EXPIRED);
            }
        }
    }

    private void removeIfUnused(UserSessions user) {
        if (user.size() == 0 && user.waiters.isEmpty()) {
            users.remove(user.databaseUser);
        }
    }

    private void sweep() {
        lock.lock();
        try {
            Instant now = clock.instant();
            for (UserSessions user : List.copyOf(users.values())) {
                dropExpired(user, now);
                removeIfUnused(user);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start() {
        lock.lock();
        try {
            running = true;
        } finally {
            lock.unlock();
        }
        long period = SWEEP_PERIOD.toMillis();
        sweeper = scheduler.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Fails every waiting borrow and forgets the idle sessions; the warehouse closes them when their
     * keep-alive runs out. Sessions still running a statement are left alone.
     */
    @Override
    public void stop() {
        List<Waiter> waiting = new ArrayList<>();
        lock.lock();
        try {
            running = false;
            for (UserSessions user : users.values()) {
                waiting.addAll(user.waiters);
                openSessions.addAndGet(-user.idle.size());
            }
            users.clear();
        } finally {
            lock.unlock();
        }
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (Waiter waiter : waiting) {
            waiter.timeout.cancel(false);
            waiter.future.completeExceptionally(new SessionPoolStoppedException());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private record IdleSession(String id, Instant expiresAt) {
    }

    private static final class Waiter {
        final String databaseUser;
        final CompletableFuture<SessionLease> future = new CompletableFuture<>();
        ScheduledFuture<?> timeout; // set under the lock before the waiter is queued

        Waiter(String databaseUser) {
            this.databaseUser = databaseUser;
        }
    }

    /** One database user's share of the pool. Guarded by the pool's lock. */
    private static final class UserSessions {
        final String databaseUser;
        final Deque<IdleSession> idle = new ArrayDeque<>();
        final Deque<Waiter> waiters = new ArrayDeque<>();
        int leased;

        UserSessions(String databaseUser) {
            this.databaseUser = databaseUser;
        }

        int size() {
            return leased + idle.size();
        }
    }
}
