package dev.spectra.local.dataapi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The Data API operations over the statement store, the session registry and the runner. Requests are
 * checked the way the real service checks them and refused with its exceptions; statements then run
 * asynchronously on the statement executor. DescribeStatement and GetStatementResult with
 * {@code WaitTimeSeconds} park the request's (virtual) thread on the statement's end, for at most that long.
 */
final class DataApiService {

    private static final Logger log = LoggerFactory.getLogger(DataApiService.class);

    private static final String ID_REGEX = "^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\\d+)?$";
    private static final Pattern ID = Pattern.compile(ID_REGEX);
    private static final Pattern PARAMETER_NAME = Pattern.compile("^[0-9a-zA-Z_]+$");
    private static final int MAX_KEEP_ALIVE_SECONDS = 86_400;
    private static final int MAX_STATEMENT_NAME_LENGTH = 500;
    private static final int MAX_CLIENT_TOKEN_LENGTH = 64;
    /** The API model: "The maximum value is 30 seconds"; its range starts at 1. */
    private static final int MIN_WAIT_TIME_SECONDS = 1;
    private static final int MAX_WAIT_TIME_SECONDS = 30;
    private static final int DEFAULT_LIST_RESULTS = 100;
    private static final String NO_RESULT =
            "Query does not have result. Please check query status with DescribeStatement.";
    private static final String NOT_FOUND = "Query does not exist.";
    private static final int CANCEL_ATTEMPTS = 10;
    private static final Duration CANCEL_ATTEMPT_WAIT = Duration.ofMillis(200);
    private static final Set<StatementStatus> STATUSES = EnumSet.allOf(StatementStatus.class);

    private final StatementStore statements;
    private final SessionRegistry sessions;
    private final StatementRunner runner;
    private final Executor statementExecutor;
    private final Clock clock;
    private final DataApiFaults faults;
    private final AtomicInteger longPollsWaiting = new AtomicInteger();

    DataApiService(StatementStore statements, SessionRegistry sessions, StatementRunner runner,
                   Executor statementExecutor, Clock clock, DataApiFaults faults) {
        this.statements = requireNonNull(statements, "statements is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.statementExecutor = requireNonNull(statementExecutor, "statementExecutor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.faults = requireNonNull(faults, "faults is null");
    }

    /**
     * Starts a statement, or answers the statement an earlier request of the same caller with the same
     * ClientToken started, without running anything again.
     *
     * @param caller who signed the request (its access key id); client tokens are the caller's own
     */
    StatementSnapshot execute(ExecuteStatementRequest request, String caller) {
        validate(request);
        ResultFormat resultFormat = ResultFormat.fromWire(request.resultFormat());
        ClientToken clientToken = request.clientToken() == null ? null : new ClientToken(caller, request.clientToken());
        if (clientToken != null) {
            var existing = statements.findByClientToken(clientToken, request);
            if (existing.isPresent()) {
                return existing.get().snapshot();
            }
        }
        PreparedSql preparedSql = SqlText.prepare(request.sql(), request.parameters());
        Instant now = clock.instant();
        Duration keepAlive = request.sessionKeepAliveSeconds() == null
                ? null
                : Duration.ofSeconds(request.sessionKeepAliveSeconds());

        Session session = null;
        boolean newSession = false;
        WarehouseTarget target;
        if (request.sessionId() != null) {
            session = sessions.acquire(request.sessionId(), keepAlive, now);
            target = session.target();
            if (faults.sessionGone(target.dbUser())) {
                sessions.closeHeld(session);
                throw SessionRegistry.notAvailable();
            }
        } else {
            target = new WarehouseTarget(request.clusterIdentifier(), request.workgroupName(),
                    request.database(), request.dbUser());
            if (keepAlive != null) {
                session = sessions.open(UUID.randomUUID().toString(), target, keepAlive, now);
                newSession = true;
            }
        }

        TrackedStatement candidate = new TrackedStatement(UUID.randomUUID().toString(), statements.nextSequence(),
                request.sql(), request.parameters(), preparedSql, target,
                session == null ? null : session.id(), request.statementName(), clientToken, resultFormat, now);
        TrackedStatement admitted;
        try {
            admitted = statements.registerOrExisting(candidate, request);
        } catch (DataApiException e) {
            abandon(session, newSession);
            throw e;
        }
        if (admitted != candidate) {
            abandon(session, newSession);
            return admitted.snapshot();
        }
        if (faults.hangs(target.dbUser())) {
            candidate.hangUntilCancelled();
        }
        Session runOn = session;
        try {
            statementExecutor.execute(() -> runner.run(candidate, runOn));
        } catch (RejectedExecutionException e) {
            abandon(session, newSession);
            candidate.abort(clock.instant(), System.nanoTime());
            statements.completed(candidate);
            throw DataApiException.internal("The Data API emulator is shutting down.");
        }
        log.debug("Statement {} submitted for {} (session {})", candidate.id(), target.dbUser(), candidate.sessionId());
        return candidate.snapshot();
    }

    /** Describes the statement at once, or when it ends within {@code waitTimeSeconds}, or when they pass. */
    StatementSnapshot describe(String id, Integer waitTimeSeconds) {
        Duration wait = waitTime(waitTimeSeconds);
        TrackedStatement statement = find(id);
        return wait.isZero() ? statement.snapshot() : awaitEnd(statement, wait);
    }

    /**
     * A page of the statement's result, for GetStatementResult ({@code format} JSON) or GetStatementResultV2
     * (CSV). Each refuses a result of the other format, as the real service does; the exact words of that
     * refusal are our best knowledge of them, not documented by AWS.
     */
    ResultPage result(String id, String nextToken, Integer waitTimeSeconds, ResultFormat format) {
        Duration wait = waitTime(waitTimeSeconds);
        TrackedStatement statement = find(id);
        if (!wait.isZero()) {
            awaitEnd(statement, wait);
        }
        StatementResult result = statement.result();
        if (statement.status() != StatementStatus.FINISHED || result == null) {
            throw DataApiException.validation(NO_RESULT);
        }
        if (result.format() != format) {
            throw DataApiException.validation(result.format() == ResultFormat.CSV
                    ? "The query result format is CSV. Use GetStatementResultV2 to fetch results in CSV format."
                    : "The query result format is JSON. Use GetStatementResult to fetch results in JSON format.");
        }
        int pages = result.pageCount();
        int page = nextToken == null ? 0 : PageTokens.resultOffset(nextToken, id, pages - 1);
        String next = page + 1 < pages ? PageTokens.resultToken(id, page + 1) : null;
        try {
            return new ResultPage(result.columns(), result.page(page), result.rowCount(), next, page == 0);
        } catch (NoSuchFileException forgottenMeanwhile) {
            throw DataApiException.resourceNotFound(NOT_FOUND, id);
        } catch (IOException e) {
            log.error("Statement {}: could not read its result", id, e);
            throw DataApiException.internal("The Data API emulator could not read the result.");
        }
    }

    boolean cancel(String id) {
        TrackedStatement statement = find(id);
        TrackedStatement.CancelDecision decision = statement.requestCancel(clock.instant(), System.nanoTime());
        if (!decision.accepted()) {
            throw DataApiException.validation("Could not cancel a query that is already in "
                    + decision.statusWhenRefused() + " state with ID: " + id);
        }
        if (decision.toCancel() != null) {
            try {
                cancelInPostgres(statement, decision.toCancel());
            } finally {
                statement.cancelDelivered();
            }
        }
        log.debug("Statement {} cancel requested", id);
        return true;
    }

    StatementPage list(ListStatementsRequest request) {
        int maxResults = request.maxResults() == null || request.maxResults() == 0
                ? DEFAULT_LIST_RESULTS
                : request.maxResults();
        if (maxResults < 0 || maxResults > DEFAULT_LIST_RESULTS) {
            throw DataApiException.validation("maxResults must be between 0 and 100.");
        }
        Predicate<StatementSnapshot> filter = statusFilter(request.status());
        if (request.statementName() != null) {
            filter = filter.and(s -> s.statementName() != null && s.statementName().startsWith(request.statementName()));
        }
        if (request.database() != null) {
            filter = filter.and(s -> request.database().equals(s.target().database()));
        }
        if (request.clusterIdentifier() != null) {
            filter = filter.and(s -> request.clusterIdentifier().equals(s.target().clusterIdentifier()));
        }
        if (request.workgroupName() != null) {
            filter = filter.and(s -> request.workgroupName().equals(s.target().workgroupName()));
        }
        long before = request.nextToken() == null ? Long.MAX_VALUE : PageTokens.listBeforeSequence(request.nextToken());
        List<StatementSnapshot> found = statements.newestFirst(filter, before, maxResults);
        if (found.size() <= maxResults) {
            return new StatementPage(found, null);
        }
        List<StatementSnapshot> page = found.subList(0, maxResults);
        return new StatementPage(page, PageTokens.listToken(page.get(page.size() - 1).sequence()));
    }

    /** Requests parked in a long poll right now. */
    int longPollsWaiting() {
        return longPollsWaiting.get();
    }

    /** The database user a request for this statement acts as, for faults scoped to one; null when unknown. */
    String dbUserOfStatement(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return null;
        }
        return statements.find(id).map(statement -> statement.target().dbUser()).orElse(null);
    }

    /** The database user an ExecuteStatement acts as: its DbUser or its session's; null when unknown. */
    String dbUserOf(ExecuteStatementRequest request) {
        if (request.dbUser() != null || request.sessionId() == null) {
            return request.dbUser();
        }
        return sessions.dbUserOf(request.sessionId());
    }

    private StatementSnapshot awaitEnd(TrackedStatement statement, Duration wait) {
        longPollsWaiting.incrementAndGet();
        try {
            return statement.awaitEnd(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DataApiException.internal("The Data API emulator is shutting down.");
        } finally {
            longPollsWaiting.decrementAndGet();
        }
    }

    private static Duration waitTime(Integer waitTimeSeconds) {
        if (waitTimeSeconds == null) {
            return Duration.ZERO;
        }
        if (waitTimeSeconds < MIN_WAIT_TIME_SECONDS || waitTimeSeconds > MAX_WAIT_TIME_SECONDS) {
            throw DataApiException.validation("waitTimeSeconds must be between " + MIN_WAIT_TIME_SECONDS
                    + " and " + MAX_WAIT_TIME_SECONDS + ".");
        }
        return Duration.ofSeconds(waitTimeSeconds);
    }

    /**
     * pgjdbc ignores a cancel that arrives before the statement has gone out to the server, so the cancel
     * is repeated until the statement stops executing, a few times at most.
     */
    private static void cancelInPostgres(TrackedStatement statement, java.sql.Statement executing) {
        try {
            for (int attempt = 0; attempt < CANCEL_ATTEMPTS; attempt++) {
                executing.cancel();
                if (statement.awaitDetached(CANCEL_ATTEMPT_WAIT)) {
                    return;
                }
            }
            log.warn("Statement {} kept running after {} cancel requests", statement.id(), CANCEL_ATTEMPTS);
        } catch (SQLException e) {
            log.warn("Cancelling statement {} in PostgreSQL failed: {}", statement.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private TrackedStatement find(String id) {
        if (id == null) {
            throw DataApiException.validation("id must not be null");
        }
        if (!ID.matcher(id).matches()) {
            throw DataApiException.validation("id must satisfy regex pattern: " + ID_REGEX);
        }
        return statements.find(id).orElseThrow(() -> DataApiException.resourceNotFound(NOT_FOUND, id));
    }

    private void abandon(Session session, boolean newSession) {
        if (session != null) {
            sessions.abandon(session, newSession);
        }
    }

    private static Predicate<StatementSnapshot> statusFilter(String status) {
        // the real service lists only finished statements unless asked for another status or ALL
        if (status == null) {
            return s -> s.status() == StatementStatus.FINISHED;
        }
        if (status.equals("ALL")) {
            return s -> true;
        }
        StatementStatus wanted = STATUSES.stream()
                .filter(candidate -> candidate.name().equals(status))
                .findFirst()
                .orElseThrow(() -> DataApiException.validation("status must be one of SUBMITTED, PICKED, STARTED, "
                        + "FINISHED, ABORTED, FAILED, ALL."));
        return s -> s.status() == wanted;
    }

    private static void validate(ExecuteStatementRequest request) {
        if (request.sql() == null) {
            throw DataApiException.validation("sql must not be null");
        }
        if (request.sql().isBlank()) {
            throw DataApiException.validation("sql must not be blank");
        }
        if (request.sessionKeepAliveSeconds() != null
                && (request.sessionKeepAliveSeconds() < 0 || request.sessionKeepAliveSeconds() > MAX_KEEP_ALIVE_SECONDS)) {
            throw DataApiException.validation("sessionKeepAliveSeconds must be between 0 and 86400.");
        }
        if (request.statementName() != null && request.statementName().length() > MAX_STATEMENT_NAME_LENGTH) {
            throw DataApiException.validation("statementName must have length less than or equal to 500");
        }
        if (request.clientToken() != null
                && (request.clientToken().isEmpty() || request.clientToken().length() > MAX_CLIENT_TOKEN_LENGTH)) {
            throw DataApiException.validation("clientToken must have length between 1 and 64");
        }
        for (SqlParameter parameter : request.parameters()) {
            if (!PARAMETER_NAME.matcher(parameter.name()).matches()) {
                throw DataApiException.validation("parameters.member.name must satisfy regex pattern: ^[0-9a-zA-Z_]+$");
            }
            if (parameter.value().isEmpty()) {
                throw DataApiException.validation("parameters.member.value must have length greater than or equal to 1");
            }
        }
        if (request.secretArn() != null) {
            throw DataApiException.validation("SecretArn is not supported by the Data API emulator; "
                    + "connect as a database user with ClusterIdentifier or WorkgroupName, Database and DbUser.");
        }
        if (request.sessionId() != null) {
            if (!ID.matcher(request.sessionId()).matches()) {
                throw DataApiException.validation("sessionId must satisfy regex pattern: " + ID_REGEX);
            }
            if (request.clusterIdentifier() != null || request.workgroupName() != null
                    || request.database() != null || request.dbUser() != null) {
                throw DataApiException.validation("SessionId cannot be combined with ClusterIdentifier, "
                        + "WorkgroupName, Database, DbUser or SecretArn: the session already determines them.");
            }
            return;
        }
        if (request.clusterIdentifier() == null && request.workgroupName() == null) {
            throw DataApiException.validation("Either ClusterIdentifier or WorkgroupName must be specified.");
        }
        if (request.clusterIdentifier() != null && request.workgroupName() != null) {
            throw DataApiException.validation("Specify either ClusterIdentifier or WorkgroupName, not both.");
        }
        if (request.database() == null || request.database().isEmpty()) {
            throw DataApiException.validation("Database must be specified.");
        }
        if (request.dbUser() == null || request.dbUser().isEmpty()) {
            throw DataApiException.validation("DbUser must be specified: the Data API emulator logs in as that "
                    + "database user (IAM identities and Secrets Manager are not emulated).");
        }
    }
}
