package dev.spectra.local.dataapi;

import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.CachedQuery;
import org.postgresql.core.Query;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * Runs one statement to its end on a statement-executor thread: log in as its database user (or take its
 * session's connection), execute, keep the result, and record FINISHED, FAILED or ABORTED. It never runs
 * more than one command (see {@link #commandsTheDriverSends}), and it reads results through a cursor, so a
 * result over the size limit fails while it is produced instead of after the driver has buffered it.
 * Statements that refuse to run in a transaction block (VACUUM, CREATE DATABASE) therefore fail here;
 * tenants' users are read-only anyway. A session is
 * released before the statement's end is published, so a caller who sees the end can use the session
 * again at once.
 */
final class StatementRunner {

    private static final Logger log = LoggerFactory.getLogger(StatementRunner.class);
    private static final Duration CANCEL_DELIVERY_WAIT = Duration.ofSeconds(10);
    private static final String MULTIPLE_COMMANDS =
            "ERROR: cannot insert multiple commands into a prepared statement";

    private final WarehouseConnector connector;
    private final SessionRegistry sessions;
    private final StatementStore statements;
    private final ResultSetReader reader;
    /** Null when the emulator has no S3 to unload to. */
    private final Unloader unloader;
    private final int fetchRows;
    private final Clock clock;
    private final AtomicLong queryIds = new AtomicLong();
    /** How often each SQL text reached the warehouse: what "ran once" means to a test. */
    private final Map<String, LongAdder> executions = new ConcurrentHashMap<>();

    StatementRunner(WarehouseConnector connector, SessionRegistry sessions, StatementStore statements,
                    ResultSetReader reader, Unloader unloader, int fetchRows, Clock clock) {
        this.connector = requireNonNull(connector, "connector is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.statements = requireNonNull(statements, "statements is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.unloader = unloader;
        if (fetchRows < 1) {
            throw new IllegalArgumentException("fetchRows must be positive");
        }
        this.fetchRows = fetchRows;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Runs the statement; {@code session} is null for a statement outside any session. */
    void run(TrackedStatement statement, Session session) {
        Outcome outcome = null;
        boolean connectionUsable = true;
        try {
            if (!statement.pick(clock.instant(), System.nanoTime())) {
                return;
            }
            Connection connection = null;
            try {
                connection = session != null ? session.connection() : null;
                if (connection == null) {
                    connection = connector.open(statement.target());
                    if (session != null) {
                        session.useConnection(connection);
                    }
                }
                long backendPid = connection.unwrap(PGConnection.class).getBackendPID();
                if (!statement.start(clock.instant(), backendPid, queryIds.incrementAndGet())) {
                    return;
                }
                executions.computeIfAbsent(statement.queryString(), ignored -> new LongAdder()).increment();
                outcome = statement.hangsUntilCancelled() ? hang(statement) : execute(statement, connection);
            } catch (WarehouseConnector.NoCredentialsException e) {
                outcome = Outcome.failed(e.getMessage());
                connectionUsable = false;
            } catch (SQLException e) {
                outcome = Outcome.failed(describe(e));
                connectionUsable = isUsable(connection);
            } finally {
                if (session == null) {
                    connector.close(connection);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.aborted();
        } catch (RuntimeException e) {
            log.error("Statement {} failed inside the emulator", statement.id(), e);
            outcome = Outcome.failed("ERROR: the Data API emulator failed to run the statement: " + e);
            connectionUsable = false;
        } finally {
            if (session != null) {
                sessions.release(session, connectionUsable, clock.instant());
            }
            publish(statement, outcome);
            statements.completed(statement);
        }
    }

    /** The hang-statements fault: hold the connection and run nothing until CancelStatement arrives. */
    private static Outcome hang(TrackedStatement statement) throws InterruptedException {
        statement.awaitCancelRequest();
        return Outcome.aborted();
    }

    /**
     * Runs the statement in a transaction of its own, committed when it finishes and rolled back otherwise,
     * so that its result can be read through a cursor ({@code fetchRows} at a time) instead of being
     * buffered whole by the driver; the connection goes back to autocommit afterwards, as a session expects.
     */
    long executionsOf(String sql) {
        LongAdder count = executions.get(sql);
        return count == null ? 0 : count.sum();
    }

    private Outcome execute(TrackedStatement statement, Connection connection)
            throws SQLException, InterruptedException {
        PreparedSql sql = statement.preparedSql();
        if (UnloadCommand.isUnload(sql.jdbcSql())) {
            return unload(statement, connection);
        }
        if (commandsTheDriverSends(connection, sql) > 1) {
            return Outcome.failed(MULTIPLE_COMMANDS);
        }
        return inTransaction(statement, connection, sql, resultSet -> {
            try {
                return Outcome.finished(reader.read(resultSet, statement.resultFormat()), -1);
            } catch (ResultSetReader.ResultTooLargeException e) {
                return Outcome.failed(e.getMessage());
            } catch (IOException e) {
                log.error("Statement {}: could not store its result", statement.id(), e);
                return Outcome.failed("ERROR: the Data API emulator could not store the result: " + e);
            }
        });
    }

    /**
     * UNLOAD: the emulator parses the command itself (see {@link UnloadCommand}) and runs only its query, on
     * the statement's own connection as its database user, so row-level security applies to what it writes,
     * with the same one-command check as any statement. Nothing but the query reaches the warehouse. It ends
     * with no result set and ResultRows the rows unloaded, as Redshift reports an UNLOAD.
     */
    private Outcome unload(TrackedStatement statement, Connection connection) throws SQLException, InterruptedException {
        UnloadCommand command;
        try {
            command = UnloadCommand.parse(statement.queryString());
        } catch (UnloadCommand.InvalidUnloadException e) {
            return Outcome.failed(e.getMessage());
        }
        if (!statement.preparedSql().values().isEmpty()) {
            return Outcome.failed("ERROR: the Data API emulator's UNLOAD takes no parameters");
        }
        if (unloader == null) {
            return Outcome.failed("ERROR: UNLOAD is not available: the Data API emulator was started without S3");
        }
        if (!UnloadCommand.isQuery(command.query())) {
            return Outcome.failed("ERROR: UNLOAD's query must be a single SELECT statement (or WITH ... SELECT)");
        }
        PreparedSql query = new PreparedSql(command.query(), List.of(), false);
        if (commandsTheDriverSends(connection, query) > 1) {
            return Outcome.failed(MULTIPLE_COMMANDS);
        }
        try {
            unloader.checkDestination(command);
        } catch (Unloader.UnloadFailedException e) {
            return Outcome.failed(e.getMessage());
        }
        return inTransaction(statement, connection, query, resultSet -> {
            try {
                return Outcome.finished(null, unloader.unload(command, resultSet));
            } catch (Unloader.UnloadFailedException e) {
                return Outcome.failed(e.getMessage());
            } catch (IOException e) {
                log.error("Statement {}: could not write its UNLOAD files", statement.id(), e);
                return Outcome.failed("ERROR: the Data API emulator could not write the UNLOAD files: " + e);
            }
        });
    }

    private interface ResultHandler {
        Outcome handle(ResultSet resultSet) throws SQLException;
    }

    private Outcome inTransaction(TrackedStatement statement, Connection connection, PreparedSql sql, ResultHandler handler)
            throws SQLException, InterruptedException {
        connection.setAutoCommit(false);
        boolean committed = false;
        try {
            Outcome outcome = executeInTransaction(statement, connection, sql, handler);
            if (outcome.status() == StatementStatus.FINISHED) {
                connection.commit();
                committed = true;
            }
            return outcome;
        } finally {
            endTransaction(connection, committed);
        }
    }

    /**
     * How many queries holding a command pgjdbc will send for this text on this connection, by the very
     * parse it runs before sending: {@code createQuery} applies the connection's own flags (escape
     * processing, parameters, and standard_conforming_strings as the server last reported it), and splits
     * on {@code ;} the way the driver will. Each query goes out in its own Parse message, and the server
     * refuses a Parse message holding more than one command, so at most one such query means at most one
     * command in the warehouse, whatever the emulator's own lexer ({@link SqlText}) makes of the text.
     * Pieces holding only comments and whitespace ({@link BlankSql}) run nothing.
     */
    static int commandsTheDriverSends(Connection connection, PreparedSql sql) throws SQLException {
        CachedQuery parsed = connection.unwrap(BaseConnection.class).createQuery(sql.jdbcSql(), true, sql.bindsParameters());
        Query[] subqueries = parsed.query.getSubqueries();
        if (subqueries == null) {
            return 1;
        }
        int commands = 0;
        for (Query subquery : subqueries) {
            if (!BlankSql.isBlank(subquery.getNativeSql())) {
                commands++;
            }
        }
        return commands;
    }

    private Outcome executeInTransaction(TrackedStatement statement, Connection connection, PreparedSql sql,
                                         ResultHandler handler) throws SQLException, InterruptedException {
        try (Statement jdbc = sql.bindsParameters()
                ? bind(connection.prepareStatement(sql.jdbcSql()), sql.values())
                : connection.createStatement()) {
            jdbc.setFetchSize(fetchRows);
            if (!statement.attach(jdbc)) {
                return Outcome.aborted();
            }
            try {
                boolean hasResultSet = jdbc instanceof PreparedStatement prepared
                        ? prepared.execute()
                        : jdbc.execute(sql.jdbcSql());
                if (!hasResultSet) {
                    return Outcome.finished(null, Math.max(0, jdbc.getLargeUpdateCount()));
                }
                try (ResultSet resultSet = jdbc.getResultSet()) {
                    return handler.handle(resultSet);
                }
            } finally {
                statement.detach();
                statement.awaitCancelDelivered(CANCEL_DELIVERY_WAIT);
            }
        }
    }

    /** Leaves the connection in autocommit with no transaction open; closes it when that fails. */
    private static void endTransaction(Connection connection, boolean committed) {
        try {
            if (!committed) {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            log.warn("Could not end a statement's transaction; closing its connection: {}", e.getMessage());
            try {
                connection.close();
            } catch (SQLException ignored) {
                // broken either way; isUsable() now reports it
            }
        }
    }

    private static PreparedStatement bind(PreparedStatement prepared, List<String> values) throws SQLException {
        try {
            for (int index = 0; index < values.size(); index++) {
                // OTHER lets PostgreSQL infer each parameter's type from where it is used
                prepared.setObject(index + 1, values.get(index), Types.OTHER);
            }
            return prepared;
        } catch (SQLException e) {
            prepared.close();
            throw e;
        }
    }

    private void publish(TrackedStatement statement, Outcome outcome) {
        long now = System.nanoTime();
        if (outcome == null || outcome.status() == StatementStatus.ABORTED) {
            statement.abort(clock.instant(), now);
        } else if (outcome.status() == StatementStatus.FAILED) {
            statement.fail(clock.instant(), now, outcome.error());
        } else {
            statement.finish(clock.instant(), now, outcome.result(), outcome.rowsAffected());
        }
        log.debug("Statement {} ended {}", statement.id(), statement.status());
    }

    /** The server's own words, as Redshift reports them ({@code ERROR: relation "x" does not exist}). */
    static String describe(SQLException e) {
        if (e instanceof PSQLException postgres) {
            ServerErrorMessage server = postgres.getServerErrorMessage();
            if (server != null && server.getMessage() != null) {
                String severity = server.getSeverity() == null ? "ERROR" : server.getSeverity();
                return severity + ": " + server.getMessage();
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static boolean isUsable(Connection connection) {
        try {
            return connection != null && !connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    private record Outcome(StatementStatus status, StatementResult result, long rowsAffected, String error) {

        static Outcome finished(StatementResult result, long rowsAffected) {
            return new Outcome(StatementStatus.FINISHED, result, rowsAffected, null);
        }

        static Outcome failed(String error) {
            return new Outcome(StatementStatus.FAILED, null, -1, error);
        }

        static Outcome aborted() {
            return new Outcome(StatementStatus.ABORTED, null, -1, null);
        }
    }
}
