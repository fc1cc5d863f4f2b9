package dev.spectra.local.dataapi;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * One armed fault: what it does, where, for how long, and how often it has fired so far, so that a test
 * can assert what the emulator answered even when the SDK retried behind its back.
 */
public final class Fault {

    /** What a fault does to the requests it matches. */
    public enum Kind {
        /** Answers ThrottlingException (400) instead of handling the request. */
        THROTTLE,
        /** Answers InternalServerException (500) instead of handling the request. */
        SERVER_ERROR,
        /** Waits {@link #delay()} before handling the request. */
        SLOW_ANSWER,
        /** ExecuteStatement answers ActiveStatementsExceededException without running anything. */
        ACTIVE_STATEMENTS_EXCEEDED,
        /** ExecuteStatement on an existing SessionId closes that session and answers it is not available. */
        SESSION_GONE,
        /** Statements ExecuteStatement starts never finish until they are cancelled. */
        HANG_STATEMENTS,
        /** ExecuteStatement starts the statement, then answers InternalServerException (500). */
        LOSE_RESPONSE_AFTER_EXECUTION
    }

    private final String id;
    private final Kind kind;
    private final FaultScope scope;
    private final FaultLimit limit;
    private final Duration delay;
    private final long armedAtNanos;
    private final AtomicInteger fired = new AtomicInteger();
    private volatile boolean cleared;

    Fault(String id, Kind kind, FaultScope scope, FaultLimit limit, Duration delay, long armedAtNanos) {
        this.id = requireNonNull(id, "id is null");
        this.kind = requireNonNull(kind, "kind is null");
        this.scope = requireNonNull(scope, "scope is null");
        this.limit = requireNonNull(limit, "limit is null");
        this.delay = delay;
        this.armedAtNanos = armedAtNanos;
        if ((kind == Kind.SLOW_ANSWER) != (delay != null)) {
            throw new IllegalArgumentException("a delay belongs to slow answers, and only to them");
        }
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public FaultScope scope() {
        return scope;
    }

    public FaultLimit limit() {
        return limit;
    }

    /** The delay of a slow answer; null for other kinds. */
    public Duration delay() {
        return delay;
    }

    /** How many requests this fault has acted on. */
    public int fired() {
        return fired.get();
    }

    /** False once it is cleared, has fired its number of times, or its duration has passed. */
    public boolean armed() {
        return !cleared && !expired(System.nanoTime())
                && (limit.times() == null || fired.get() < limit.times());
    }

    /** Disarms it; its count stays readable. */
    public void clear() {
        cleared = true;
    }

    /** Counts one firing when the fault is armed and matches; false leaves the request alone. */
    boolean tryFire(DataApiOperation operation, String dbUser, long nowNanos) {
        if (cleared || expired(nowNanos) || !scope.matches(operation, dbUser)) {
            return false;
        }
        if (limit.times() == null) {
            fired.incrementAndGet();
            return true;
        }
        int before;
        do {
            before = fired.get();
            if (before >= limit.times()) {
                return false;
            }
        } while (!fired.compareAndSet(before, before + 1));
        return true;
    }

    private boolean expired(long nowNanos) {
        return limit.duration() != null && nowNanos - armedAtNanos >= limit.duration().toNanos();
    }

    @Override
    public String toString() {
        return "Fault[" + id + ", " + kind + ", " + scope + ", " + limit + ", fired=" + fired() + "]";
    }
}
