package dev.spectra.local.dataapi;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place session state lives: which sessions exist, which are busy, when each went idle, and when
 * it expires. A session is busy from the ExecuteStatement that starts a statement on it until that
 * statement ends; it then stays open for its keep-alive, counted from the end of its last statement, and
 * at most 24 hours in all, as in the real service. Methods only change state; connections that must be
 * closed are handed back to the caller, who closes them outside the lock.
 */
final class SessionRegistry {

    static final Duration MAX_SESSION_LIFETIME = Duration.ofHours(24);
    /** Enough memory of closed ids to tell "expired" from "never existed" for a long time. */
    private static final int REMEMBERED_CLOSED_SESSIONS = 10_000;

    private final int maxSessions;
    private final Map<String, Session> live = new HashMap<>();
    private final Map<String, Boolean> closedIds = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_CLOSED_SESSIONS;
        }
    };
    private final List<Connection> connectionsToClose = new ArrayList<>();
    private boolean closed;

    SessionRegistry(int maxSessions) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive");
        }
        this.maxSessions = maxSessions;
    }

    /**
     * Opens a session, busy with the statement that creates it.
     *
     * @throws DataApiException ActiveSessionsExceededException when the limit is reached
     */
    synchronized Session open(String sessionId, WarehouseTarget target, Duration keepAlive, Instant now) {
        ensureOpen();
        if (live.size() >= maxSessions) {
            throw DataApiException.activeSessionsExceeded("Active sessions exceeded the limit of " + maxSessions
                    + ". Let idle sessions expire or reuse one with SessionId.");
        }
        Session session = new Session(sessionId, target, keepAlive, now);
        live.put(sessionId, session);
        return session;
    }

    /**
     * Marks an idle session busy for a new statement, extending its keep-alive when one is given.
     *
     * @throws DataApiException ValidationException when the session does not exist, has expired or is busy
     */
    synchronized Session acquire(String sessionId, Duration newKeepAlive, Instant now) {
        ensureOpen();
        Session session = live.get(sessionId);
        if (session == null) {
            throw closedIds.containsKey(sessionId) ? notAvailable() : invalid(sessionId);
        }
        if (session.state == Session.State.BUSY) {
            throw DataApiException.validation("Session with Id: " + sessionId
                    + " is busy running another statement. A session runs one statement at a time.");
        }
        if (hasExpired(session, now)) {
            close(session);
            throw notAvailable();
        }
        session.state = Session.State.BUSY;
        if (newKeepAlive != null) {
            session.keepAlive = newKeepAlive;
        }
        return session;
    }

    /** The session's statement ended: it becomes idle, or closes when its connection is no longer usable. */
    synchronized void release(Session session, boolean connectionUsable, Instant now) {
        if (live.get(session.id()) != session) {
            return;
        }
        if (!connectionUsable) {
            close(session);
            return;
        }
        session.state = Session.State.IDLE;
        session.idleSince = now;
    }

    /** Undoes {@link #open} or {@link #acquire} when the statement was not admitted after all. */
    synchronized void abandon(Session session, boolean newlyOpened) {
        if (live.get(session.id()) != session) {
            return;
        }
        if (newlyOpened) {
            live.remove(session.id());
            if (session.connection() != null) {
                connectionsToClose.add(session.connection());
            }
        } else {
            session.state = Session.State.IDLE;
        }
    }

    /**
     * Closes a session the caller holds busy, as when the service lets it go; its connection is closed
     * with the expired ones.
     */
    synchronized void closeHeld(Session session) {
        if (live.get(session.id()) == session) {
            close(session);
        }
    }

    /**
     * The connections of every live session, for the warehouse to drop: idle sessions close now (their
     * connections are in the list too), busy ones close when their statement ends on the broken connection.
     */
    synchronized List<Connection> dropConnections() {
        List<Connection> dropped = new ArrayList<>();
        Iterator<Session> sessions = live.values().iterator();
        while (sessions.hasNext()) {
            Session session = sessions.next();
            if (session.connection() == null) {
                continue;
            }
            dropped.add(session.connection());
            if (session.state == Session.State.IDLE) {
                sessions.remove();
                session.state = Session.State.CLOSED;
                closedIds.put(session.id(), Boolean.TRUE);
            }
        }
        return dropped;
    }

    /** The database user of a live session, or null when there is none with this id. */
    synchronized String dbUserOf(String sessionId) {
        Session session = live.get(sessionId);
        return session == null ? null : session.target().dbUser();
    }

    /** Closes idle sessions past their keep-alive; returns the connections the caller must close. */
    synchronized List<Connection> expire(Instant now) {
        Iterator<Session> sessions = live.values().iterator();
        while (sessions.hasNext()) {
            Session session = sessions.next();
            if (session.state == Session.State.IDLE && hasExpired(session, now)) {
                sessions.remove();
                retire(session);
            }
        }
        return drainConnectionsToClose();
    }

    /** Closes every session; returns the connections the caller must close. No session can be used after. */
    synchronized List<Connection> closeAll() {
        closed = true;
        for (Session session : live.values()) {
            retire(session);
        }
        live.clear();
        return drainConnectionsToClose();
    }

    synchronized int liveSessions() {
        return live.size();
    }

    private boolean hasExpired(Session session, Instant now) {
        if (!now.isBefore(session.createdAt().plus(MAX_SESSION_LIFETIME))) {
            return true;
        }
        return session.state == Session.State.IDLE && !now.isBefore(session.idleSince.plus(session.keepAlive));
    }

    private void close(Session session) {
        live.remove(session.id());
        retire(session);
    }

    private void retire(Session session) {
        session.state = Session.State.CLOSED;
        closedIds.put(session.id(), Boolean.TRUE);
        if (session.connection() != null) {
            connectionsToClose.add(session.connection());
        }
    }

    private List<Connection> drainConnectionsToClose() {
        List<Connection> drained = List.copyOf(connectionsToClose);
        connectionsToClose.clear();
        return drained;
    }

    private void ensureOpen() {
        if (closed) {
            throw DataApiException.internal("The Data API emulator is shutting down.");
        }
    }

    /** What the service answers for a session that has expired or been closed. */
    static DataApiException notAvailable() {
        return DataApiException.validation("Session is not available");
    }

    private static DataApiException invalid(String sessionId) {
        return DataApiException.validation("Session with Id: " + sessionId + " is invalid");
    }
}
