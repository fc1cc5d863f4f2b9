package dev.spectra.queryworker.testing;

import dev.spectra.queryworker.execution.Warehouse;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.InternalServerException;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The Data API's behaviour as far as the worker relies on it: sessions opened with a keep-alive run one
 * statement at a time and refuse a second; a closed session is refused; statements finish, fail, are
 * aborted or hang as the test says. Errors are the SDK's modeled exceptions.
 */
public final class FakeWarehouse implements Warehouse {

    /** What a newly executed statement does until the test says otherwise. */
    public enum NewStatements { FINISH, HANG }

    private static final long DEFAULT_ROWS = 3;
    private int plainDescribes;
    private int listingsToMiss;
    private int listings;
    private int longPolls;

    private final Clock clock;
    private final List<ExecuteStatementRequest> executeRequests = new ArrayList<>();
    private final List<String> cancelled = new ArrayList<>();
    private final Map<String, Statement> statements = new LinkedHashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private final Queue<RuntimeException> executeFailures = new ConcurrentLinkedQueue<>();
    private final Map<String, String> statementsByClientToken = new HashMap<>();
    private int answersToLose;
    private NewStatements newStatements = NewStatements.FINISH;
    private int nextId = 1;

    public FakeWarehouse(Clock clock) {
        this.clock = clock;
    }

    // --- what the test controls

    public synchronized void hangNewStatements() {
        newStatements = NewStatements.HANG;
    }

    public synchronized void finishNewStatements() {
        newStatements = NewStatements.FINISH;
    }

    public synchronized void finish(String statementId, long rows) {
        statement(statementId).end(StatusString.FINISHED, rows, true, null);
    }

    public synchronized void finishWithoutResultSet(String statementId) {
        statement(statementId).end(StatusString.FINISHED, 0, false, null);
    }

    public synchronized void fail(String statementId, String error) {
        statement(statementId).end(StatusString.FAILED, 0, false, error);
    }

    public synchronized void abort(String statementId) {
        statement(statementId).end(StatusString.ABORTED, 0, false, null);
    }

    /** The session's keep-alive ran out (or it was closed) in the warehouse. */
    public synchronized void closeSession(String sessionId) {
        sessions.get(sessionId).closed = true;
    }

    /** The next ExecuteStatement calls fail with these, one each, before anything else is checked. */
    public void failNextExecutes(RuntimeException... failures) {
        executeFailures.addAll(List.of(failures));
    }

    /** The next ExecuteStatement calls start their statement, then answer 500 as if the answer was lost. */
    public synchronized void loseNextExecuteAnswers(int count) {
        answersToLose = count;
    }

    public static ActiveStatementsExceededException throttled() {
        return (ActiveStatementsExceededException) ActiveStatementsExceededException.builder()
                .message("Active statements exceeded the allowed quota")
                .awsErrorDetails(details("ActiveStatementsExceededException", "Active statements exceeded the allowed quota"))
                .statusCode(400)
                .build();
    }

    public static ValidationException validation(String message) {
        return (ValidationException) ValidationException.builder()
                .message(message)
                .awsErrorDetails(details("ValidationException", message))
                .statusCode(400)
                .build();
    }

    // --- what the test inspects

    public synchronized List<ExecuteStatementRequest> executeRequests() {
        return List.copyOf(executeRequests);
    }

    public synchronized List<String> statementIds() {
        return List.copyOf(statements.keySet());
    }

    public synchronized List<String> cancelled() {
        return List.copyOf(cancelled);
    }

    public synchronized String sessionOf(String statementId) {
        return statement(statementId).sessionId;
    }

    public synchronized String databaseUserOf(String statementId) {
        return statement(statementId).databaseUser;
    }

    // --- the Data API

    /** Statements the warehouse started, counted per SQL text: what "ran once" means. */
    public synchronized long started(String sql) {
        return statements.values().stream().filter(statement -> statement.sql.equals(sql)).count();
    }

    @Override
    public synchronized ExecuteStatementResponse executeStatement(ExecuteStatementRequest request) {
        executeRequests.add(request);
        RuntimeException failure = executeFailures.poll();
        if (failure != null) {
            throw failure;
        }
        // A repeated client token gets the statement it started, as the Data API's idempotency promises.
        String known = request.clientToken() == null ? null : statementsByClientToken.get(request.clientToken());
        if (known != null) {
            Statement statement = statements.get(known);
            if (!statement.request.equals(request.toBuilder().build())) {
                // As the emulator, and strict idempotency: a token repeats the very same request or fails.
                throw validation("ClientToken " + request.clientToken() + " was already used with different parameters");
            }
            return ExecuteStatementResponse.builder().id(known).sessionId(statement.sessionId).createdAt(statement.createdAt).build();
        }
        Session session;
        if (request.sessionId() != null) {
            if (request.clusterIdentifier() != null || request.workgroupName() != null || request.database() != null
                    || request.dbUser() != null) {
                throw validation("SessionId cannot be combined with ClusterIdentifier, WorkgroupName, Database or DbUser");
            }
            session = sessions.get(request.sessionId());
            if (session == null || session.closed) {
                throw validation("Session " + request.sessionId() + " is not available: it expired or was closed");
            }
            if (session.runningStatement != null && !statements.get(session.runningStatement).isFinal()) {
                throw validation("Session " + request.sessionId() + " is busy running another statement");
            }
        } else {
            if ((request.clusterIdentifier() == null) == (request.workgroupName() == null)
                    || request.database() == null || request.dbUser() == null) {
                throw validation("a cluster or workgroup, a database and a database user are required");
            }
            session = request.sessionKeepAliveSeconds() == null ? null : openSession(request.dbUser());
        }
        String id = "statement-" + nextId++;
        Statement statement = new Statement(id, session == null ? request.dbUser() : session.databaseUser,
                session == null ? null : session.id, clock.instant(), request.sql(), request);
        if (request.clientToken() != null) {
            statementsByClientToken.put(request.clientToken(), id);
        }
        if (newStatements == NewStatements.FINISH) {
            statement.end(StatusString.FINISHED, DEFAULT_ROWS, true, null);
        }
        statements.put(id, statement);
        if (session != null) {
            session.runningStatement = id;
        }
        if (answersToLose > 0) {
            answersToLose--;
            throw (InternalServerException) InternalServerException.builder()
                    .message("Internal server error").statusCode(500)
                    .awsErrorDetails(details("InternalServerException", "Internal server error")).build();
        }
        return ExecuteStatementResponse.builder()
                .id(id)
                .sessionId(session == null ? null : session.id)
                .createdAt(statement.createdAt)
                .build();
    }

    @Override
    public synchronized DescribeStatementResponse describeStatement(String statementId) {
        plainDescribes++;
        return describe(statement(statementId));
    }

    /** The next {@code count} ListStatements calls do not list statements yet, as a lagging listing would. */
    public synchronized void missNextListings(int count) {
        listingsToMiss = count;
    }

    public synchronized int listings() {
        return listings;
    }

    /** DescribeStatement calls without and with {@code WaitTimeSeconds}. */
    public synchronized int plainDescribes() {
        return plainDescribes;
    }

    public synchronized int longPolls() {
        return longPolls;
    }

    /** Long polling as the Data API does it: answers once the statement ended, or when the wait is over. */
    @Override
    public synchronized DescribeStatementResponse describeStatement(String statementId, Duration waitUpTo) {
        longPolls++;
        Statement statement = statement(statementId);
        long until = System.nanoTime() + waitUpTo.toNanos();
        try {
            for (long left = waitUpTo.toNanos(); !statement.isFinal() && left > 0; left = until - System.nanoTime()) {
                // Waiting gives up the monitor, so a test can end the statement meanwhile; it looks again every 2 ms.
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(2)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while long polling", e);
        }
        return describe(statement);
    }

    private DescribeStatementResponse describe(Statement statement) {
        return DescribeStatementResponse.builder()
                .id(statement.id)
                .status(statement.status)
                .createdAt(statement.createdAt)
                .hasResultSet(statement.hasResultSet)
                .resultRows(statement.hasResultSet ? statement.rows : -1L)
                .resultSize(statement.hasResultSet ? statement.rows * 10 : 0L)
                .error(statement.error)
                .sessionId(statement.sessionId)
                .build();
    }

    @Override
    public synchronized void cancelStatement(String statementId) {
        Statement statement = statement(statementId);
        if (statement.isFinal()) {
            throw validation("Could not cancel a query that is already in " + statement.status + " state");
        }
        cancelled.add(statementId);
        statement.end(StatusString.ABORTED, 0, false, null);
    }

    @Override
    public synchronized java.util.Optional<String> findStatement(String statementName) {
        listings++;
        if (listingsToMiss > 0) {
            // ListStatements lags: a statement started a moment ago is not listed yet.
            listingsToMiss--;
            return java.util.Optional.empty();
        }
        String found = null;
        for (Statement statement : statements.values()) {
            if (statementName.equals(statement.request.statementName())) {
                found = statement.id;
            }
        }
        return java.util.Optional.ofNullable(found);
    }

    private Session openSession(String databaseUser) {
        Session session = new Session("session-" + nextId++, databaseUser);
        sessions.put(session.id, session);
        return session;
    }

    private Statement statement(String statementId) {
        Statement statement = statements.get(statementId);
        if (statement == null) {
            throw (ResourceNotFoundException) ResourceNotFoundException.builder()
                    .message("Query does not exist")
                    .awsErrorDetails(details("ResourceNotFoundException", "Query does not exist"))
                    .statusCode(400)
                    .build();
        }
        return statement;
    }

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("RedshiftData").build();
    }

    private static final class Session {
        final String id;
        final String databaseUser;
        String runningStatement;
        boolean closed;

        Session(String id, String databaseUser) {
            this.id = id;
            this.databaseUser = databaseUser;
        }
    }

    private static final class Statement {
        final String id;
        final String databaseUser;
        final String sessionId;
        final Instant createdAt;
        final String sql;
        final ExecuteStatementRequest request;
        StatusString status = StatusString.STARTED;
        long rows;
        boolean hasResultSet;
        String error;

        Statement(String id, String databaseUser, String sessionId, Instant createdAt, String sql, ExecuteStatementRequest request) {
            this.id = id;
            this.sql = sql;
            this.request = request;
            this.databaseUser = databaseUser;
            this.sessionId = sessionId;
            this.createdAt = createdAt;
        }

        void end(StatusString finalStatus, long resultRows, boolean resultSet, String failure) {
            status = finalStatus;
            rows = resultRows;
            hasResultSet = resultSet;
            error = failure;
        }

        boolean isFinal() {
            return status == StatusString.FINISHED || status == StatusString.FAILED || status == StatusString.ABORTED;
        }
    }
}
