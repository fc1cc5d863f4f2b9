package dev.spectra.local.dataapi;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A Data API session: one PostgreSQL connection, logged in as the session's database user, that runs the
 * session's statements one at a time. Its state is changed only by {@link SessionRegistry} under the
 * registry's lock; the connection is touched only by the runner holding the session busy, or by whoever
 * closes it after the registry has removed the session.
 */
final class Session {

    enum State { BUSY, IDLE, CLOSED }

    private final String id;
    private final WarehouseTarget target;
    private final Instant createdAt;
    private volatile Connection connection;

    // guarded by the SessionRegistry
    State state = State.BUSY;
    Duration keepAlive;
    Instant idleSince;

    Session(String id, WarehouseTarget target, Duration keepAlive, Instant createdAt) {
        this.id = requireNonNull(id, "id is null");
        this.target = requireNonNull(target, "target is null");
        this.keepAlive = requireNonNull(keepAlive, "keepAlive is null");
        this.createdAt = requireNonNull(createdAt, "createdAt is null");
    }

    String id() {
        return id;
    }

    WarehouseTarget target() {
        return target;
    }

    Instant createdAt() {
        return createdAt;
    }

    /** The session's connection, or null before its first statement has logged in. */
    Connection connection() {
        return connection;
    }

    void useConnection(Connection opened) {
        this.connection = opened;
    }

    @Override
    public String toString() {
        return "Session[id=" + id + ", dbUser=" + target.dbUser() + "]";
    }
}
