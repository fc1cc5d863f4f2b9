package dev.spectra.queryworker.session;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * One of a database user's sessions (or a slot to open one), held from borrowing until the statement run on
 * it reached a final state. A lease with a session id is warm; one without opens a new session with its first
 * statement. Ends exactly once, with {@link #release()} or {@link #discard}; later calls are ignored.
 */
public final class SessionLease {

    private final SessionPool pool;
    private final String databaseUser;
    private volatile String sessionId;
    private final AtomicBoolean ended = new AtomicBoolean();

    SessionLease(SessionPool pool, String databaseUser, String sessionId) {
        this.pool = requireNonNull(pool, "pool is null");
        this.databaseUser = requireNonNull(databaseUser, "databaseUser is null");
        this.sessionId = sessionId;
    }

    public String databaseUser() {
        return databaseUser;
    }

    /** The warm session to run on; empty when the statement must open a session. */
    public Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    /** The statement that opened a session reported its id: the session belongs to this lease from now on. */
    public void opened(String newSessionId) {
        requireNonNull(newSessionId, "newSessionId is null");
        if (sessionId != null) {
            throw new IllegalStateException("the lease already has a session");
        }
        sessionId = newSessionId;
    }

    /** The statement reached a final state: the session (if any) can run the next statement of this user. */
    public void release() {
        if (ended.compareAndSet(false, true)) {
            pool.giveBack(this, sessionId, null);
        }
    }

    /**
     * The session must not be used again: the warehouse refused it, or its state is unknown (its statement was
     * cancelled or lost). It is forgotten, and counts against {@code max-open} until its keep-alive would end.
     */
    public void discard(EvictionReason reason) {
        requireNonNull(reason, "reason is null");
        if (ended.compareAndSet(false, true)) {
            pool.giveBack(this, sessionId, reason);
        }
    }

    @Override
    public String toString() {
        return sessionId == null ? "new session" : "session " + sessionId;
    }
}
