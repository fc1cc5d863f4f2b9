package dev.spectra.queryworker.session;

import dev.spectra.queryworker.config.SessionsProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * This worker's Data API sessions. A Data API session runs one statement at a time and stays open for
 * {@code keep-alive} after its last statement finished; reusing it saves the warehouse connecting and
 * authenticating the user again. A session is only ever lent to the database user that opened it: the
 * warehouse runs the statement as that user, which is the tenant wall.
 *
 * <p><b>At most {@code max-open} sessions in the warehouse.</b> A session counts from the borrow that will
 * open it until the warehouse closes it: while it runs a statement, while it sits idle, and after the pool
 * forgot it (refused, abandoned) until its keep-alive would have ended, because the Data API has no call
 * that closes a session. An idle session goes away only when its keep-alive lapses.
 *
 * <p>{@link #borrow} lends the user's most recently returned idle session, or else a slot to open a new
 * one while fewer than {@code max-open} count; otherwise the borrow waits in one line for all users, first
 * come first served, until a slot frees (a session's keep-alive ends, a session is forgotten) or a session
 * of its own user comes back. There is no cap per user and no limit on waiting: the scheduler's ticket
 * bounds a tenant's sessions, and a waiting job gives up at its own deadline.
 *
 * <p>Waiting blocks the calling thread (callers are virtual threads) and happens in slices, so that a job
 * can renew its lease between them without losing its place. The pool does no I/O: callers run the
 * statements and report back through the {@link SessionLease}. All state sits behind one lock.
 */
public final class SessionPool implements SmartLifecycle {

    /** Starts before and stops after the Kafka listener containers, so no record arrives at a stopped pool. */
    public static final int PHASE = Integer.MAX_VALUE - 1000;

    /**
     * The longest a waiter sleeps before it looks at the clock again. Keep-alives are reckoned on the pool's
     * clock, which need not be the one the waiter sleeps on (a test's clock moves by hand).
     */
    private static final Duration LONGEST_NAP = Duration.ofSeconds(1);

    private final SessionsProperties settings;
    private final Clock clock;
    private final Counter warmBorrows;
    private final Counter coldBorrows;
    private final Map<EvictionReason, Counter> evictions = new EnumMap<>(EvictionReason.class);
    private final Timer lentAfterWaiting;
    private final Timer gaveUpWaiting;

    private final ReentrantLock lock = new ReentrantLock();
    /** Idle sessions per database user, most recently returned last. Guarded by lock. */
    private final Map<String, Deque<IdleSession>> idle = new HashMap<>();
    /** Borrows waiting for a session, in arrival order. Guarded by lock. */
    private final Deque<Borrowing> waiting = new ArrayDeque<>();
    /** When each session the pool forgot ends in the warehouse. Guarded by lock. */
    private final PriorityQueue<Instant> forgotten = new PriorityQueue<>();
    private int leased; // guarded by lock
    private int idleCount; // guarded by lock
    private volatile boolean running; // written under lock

    public SessionPool(SessionsProperties settings, Clock clock, MeterRegistry meters) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.warmBorrows = borrowCounter(meters, "warm");
        this.coldBorrows = borrowCounter(meters, "cold");
        for (EvictionReason reason : EvictionReason.values()) {
            evictions.put(reason, Counter.builder("spectra.sessions.evicted")
                    .description("Sessions dropped from the pool")
                    .tag("reason", reason.tag())
                    .register(meters));
        }
        this.lentAfterWaiting = waitTimer(meters, "lent");
        this.gaveUpWaiting = waitTimer(meters, "gave_up");
        Gauge.builder("spectra.sessions.open", this, SessionPool::open)
                .description("Data API sessions of this worker the warehouse holds: running, idle, or forgotten until their keep-alive ends")
                .register(meters);
        Gauge.builder("spectra.sessions.waiting", this, SessionPool::waiting)
                .description("Statements waiting for a session because max-open sessions are held")
                .register(meters);
        Gauge.builder("spectra.sessions.hit_ratio", this, SessionPool::hitRatio)
                .description("Share of borrows since the worker started that found a warm session; NaN before the first")
                .register(meters);
    }

    /** Warm borrows over all borrows since the start; NaN before the first borrow. */
    double hitRatio() {
        double warm = warmBorrows.count();
        double all = warm + coldBorrows.count();
        return all == 0 ? Double.NaN : warm / all;
    }

    private static Counter borrowCounter(MeterRegistry meters, String outcome) {
        return Counter.builder("spectra.sessions.borrowed")
                .description("Sessions lent to statements: warm (reused) or cold (opened by the statement)")
                .tag("outcome", outcome)
                .register(meters);
    }

    private static Timer waitTimer(MeterRegistry meters, String outcome) {
        return Timer.builder("spectra.sessions.waited")
                .description("Borrows that had to wait for a session, and how long: lent one in the end, or gave up")
                .tag("outcome", outcome)
                .register(meters);
    }

    /**
     * A borrow of one of {@code databaseUser}'s sessions, lent at once when there is one, or waiting in line.
     * Take the lease with {@link Borrowing#await}; close the borrowing when done with it (a lease taken stays
     * the caller's). Throws {@link SessionPoolStoppedException} once the worker stops.
     */
    public Borrowing borrow(String databaseUser) {
        requireNonNull(databaseUser, "databaseUser is null");
        lock.lock();
        try {
            if (!running) {
                throw new SessionPoolStoppedException();
            }
            lapse(clock.instant());
            Borrowing borrowing = new Borrowing(databaseUser, lock.newCondition());
            // A user's own idle session costs no slot, so it never waits behind others; a new slot does.
            IdleSession warm = takeIdle(databaseUser);
            if (warm != null) {
                borrowing.lease = lend(databaseUser, warm.id());
            } else if (waiting.isEmpty() && open() < settings.maxOpen()) {
                borrowing.lease = lend(databaseUser, null);
            } else {
                borrowing.waitingSince = System.nanoTime();
                waiting.addLast(borrowing);
                // Sessions that just lapsed free slots for the borrows ahead of this one, or for this one.
                dispatch();
                if (borrowing.lease != null) {
                    borrowing.waitingSince = 0;
                }
            }
            return borrowing;
        } finally {
            lock.unlock();
        }
    }

    /** Sessions counted against {@code max-open} now. */
    public int open() {
        lock.lock();
        try {
            lapse(clock.instant());
            return leased + idleCount + forgotten.size();
        } finally {
            lock.unlock();
        }
    }

    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** A lease ended: {@code sessionId} (null when none was opened) goes idle, or is forgotten when {@code evicted}. */
    void giveBack(SessionLease lease, String sessionId, EvictionReason evicted) {
        lock.lock();
        try {
            leased--;
            if (sessionId == null) {
                dispatch();
                return;
            }
            Instant endsAt = clock.instant().plus(settings.keepAlive());
            if (evicted != null) {
                evictions.get(evicted).increment();
                forgotten.add(endsAt);
            } else if (running) {
                idle.computeIfAbsent(lease.databaseUser(), user -> new ArrayDeque<>()).addLast(new IdleSession(sessionId, endsAt));
                idleCount++;
            } else {
                forgotten.add(endsAt);
            }
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    private SessionLease lend(String databaseUser, String sessionId) {
        (sessionId == null ? coldBorrows : warmBorrows).increment();
        leased++;
        return new SessionLease(this, databaseUser, sessionId);
    }

    /** The user's most recently returned idle session, or null. Caller holds the lock. */
    private IdleSession takeIdle(String databaseUser) {
        Deque<IdleSession> sessions = idle.get(databaseUser);
        if (sessions == null) {
            return null;
        }
        IdleSession session = sessions.pollLast();
        if (sessions.isEmpty()) {
            idle.remove(databaseUser);
        }
        if (session != null) {
            idleCount--;
        }
        return session;
    }

    /**
     * Lends what can be lent to the waiting borrows, in arrival order: a session of their own user to any of
     * them, a free slot only to the first that needs one. Caller holds the lock.
     */
    private void dispatch() {
        if (waiting.isEmpty()) {
            return;
        }
        lapse(clock.instant());
        for (Iterator<Borrowing> line = waiting.iterator(); line.hasNext(); ) {
            Borrowing borrowing = line.next();
            IdleSession warm = takeIdle(borrowing.databaseUser);
            if (warm != null) {
                borrowing.lease = lend(borrowing.databaseUser, warm.id());
            } else if (leased + idleCount + forgotten.size() < settings.maxOpen()) {
                borrowing.lease = lend(borrowing.databaseUser, null);
            } else {
                continue;
            }
            line.remove();
            borrowing.turn.signal();
        }
    }

    /**
     * Idle sessions within the margin of their end are no longer lent (they count as forgotten until they
     * end); forgotten sessions whose keep-alive ended free their slot. Caller holds the lock.
     */
    private void lapse(Instant now) {
        Instant usableUntil = now.plus(settings.expiryMargin());
        for (Iterator<Deque<IdleSession>> users = idle.values().iterator(); users.hasNext(); ) {
            Deque<IdleSession> sessions = users.next();
            for (Iterator<IdleSession> each = sessions.iterator(); each.hasNext(); ) {
                IdleSession session = each.next();
                if (!usableUntil.isBefore(session.endsAt())) {
                    each.remove();
                    idleCount--;
                    forgotten.add(session.endsAt());
                    evictions.get(EvictionReason.EXPIRED).increment();
                }
            }
            if (sessions.isEmpty()) {
                users.remove();
            }
        }
        while (!forgotten.isEmpty() && !now.isBefore(forgotten.peek())) {
            forgotten.poll();
        }
    }

    /** How long until the next session ends in the warehouse (and frees a slot); null when none will. Caller holds the lock. */
    private Duration untilNextSessionEnds(Instant now) {
        Instant next = forgotten.peek();
        for (Deque<IdleSession> sessions : idle.values()) {
            for (IdleSession session : sessions) {
                if (next == null || session.endsAt().isBefore(next)) {
                    next = session.endsAt();
                }
            }
        }
        return next == null ? null : Duration.between(now, next);
    }

    @Override
    public void start() {
        lock.lock();
        try {
            running = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fails every waiting borrow and forgets the idle sessions (the warehouse closes them when their keep-alive
     * runs out). Leases out are left alone; they end as their statements do.
     */
    @Override
    public void stop() {
        lock.lock();
        try {
            running = false;
            idle.values().forEach(sessions -> sessions.forEach(session -> forgotten.add(session.endsAt())));
            idle.clear();
            idleCount = 0;
            waiting.forEach(borrowing -> borrowing.turn.signal());
        } finally {
            lock.unlock();
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

    private record IdleSession(String id, Instant endsAt) {
    }

    /** One borrow: lent at once, or waiting in line until lent or given up. One thread only. */
    public final class Borrowing implements AutoCloseable {
        private final String databaseUser;
        private final Condition turn;
        private SessionLease lease; // guarded by lock
        private long waitingSince; // guarded by lock; 0 when it never waited
        private boolean taken; // guarded by lock
        private boolean closed; // guarded by lock

        private Borrowing(String databaseUser, Condition turn) {
            this.databaseUser = databaseUser;
            this.turn = turn;
        }

        /**
         * Waits up to {@code slice} for the lease; empty when it is still waiting (it keeps its place). Throws
         * {@link SessionPoolStoppedException} when the worker stops meanwhile.
         */
        public Optional<SessionLease> await(Duration slice) throws InterruptedException {
            long giveUpAt = System.nanoTime() + slice.toNanos();
            lock.lock();
            try {
                if (closed) {
                    throw new IllegalStateException("the borrowing is closed");
                }
                while (lease == null) {
                    if (!running) {
                        waiting.remove(this);
                        throw new SessionPoolStoppedException();
                    }
                    // Sessions may have ended since anyone looked at the clock.
                    dispatch();
                    if (lease != null) {
                        break;
                    }
                    long left = giveUpAt - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    Duration untilEnd = untilNextSessionEnds(clock.instant());
                    long nap = Math.min(left, LONGEST_NAP.toNanos());
                    if (untilEnd != null) {
                        nap = Math.min(nap, Math.max(untilEnd.toNanos(), Duration.ofMillis(1).toNanos()));
                    }
                    turn.awaitNanos(nap);
                }
                if (!taken && waitingSince != 0) {
                    lentAfterWaiting.record(Duration.ofNanos(System.nanoTime() - waitingSince));
                }
                taken = true;
                return Optional.of(lease);
            } finally {
                lock.unlock();
            }
        }

        /** Gives the place up; a lease lent meanwhile but never taken goes straight back. */
        @Override
        public void close() {
            SessionLease untaken = null;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (lease == null) {
                    waiting.remove(this);
                    gaveUpWaiting.record(Duration.ofNanos(System.nanoTime() - waitingSince));
                } else if (!taken) {
                    untaken = lease;
                }
            } finally {
                lock.unlock();
            }
            if (untaken != null) {
                untaken.release();
            }
        }
    }
}
