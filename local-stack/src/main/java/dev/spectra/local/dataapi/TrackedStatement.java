package dev.spectra.local.dataapi;

import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * One submitted statement and its progress through {@link StatementStatus}. The runner thread moves it
 * forward; CancelStatement may end it early from a request thread. Every method holds the monitor only
 * to read or change fields: cancelling the JDBC statement (network I/O) happens outside it. Its end also
 * completes a future, so a long-polling DescribeStatement parks on it without holding the monitor.
 */
final class TrackedStatement {

    /** What a CancelStatement call decided; {@code toCancel} is the JDBC statement to cancel outside the lock. */
    record CancelDecision(boolean accepted, StatementStatus statusWhenRefused, Statement toCancel) {}

    private final String id;
    private final long sequence;
    private final String queryString;
    private final List<SqlParameter> parameters;
    private final PreparedSql preparedSql;
    private final WarehouseTarget target;
    private final String sessionId;
    private final String statementName;
    private final ClientToken clientToken;
    private final ResultFormat resultFormat;
    private final Instant createdAt;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private StatementStatus status = StatementStatus.SUBMITTED;
    private Instant updatedAt;
    private boolean picked;
    private long pickedAtNanos;
    private long durationNanos = -1;
    private String error;
    private long redshiftPid;
    private long redshiftQueryId;
    private boolean hasResultSet;
    private long resultRows = -1;
    private long resultSize = -1;
    private StatementResult result;
    private Statement running;
    private boolean cancelRequested;
    private int cancelsInFlight;
    private boolean hangsUntilCancelled;

    TrackedStatement(String id, long sequence, String queryString, List<SqlParameter> parameters,
                     PreparedSql preparedSql, WarehouseTarget target, String sessionId, String statementName,
                     ClientToken clientToken, ResultFormat resultFormat, Instant createdAt) {
        this.id = requireNonNull(id, "id is null");
        this.sequence = sequence;
        this.queryString = requireNonNull(queryString, "queryString is null");
        this.parameters = List.copyOf(parameters);
        this.preparedSql = requireNonNull(preparedSql, "preparedSql is null");
        this.target = requireNonNull(target, "target is null");
        this.sessionId = sessionId;
        this.statementName = statementName;
        this.clientToken = clientToken;
        this.resultFormat = requireNonNull(resultFormat, "resultFormat is null");
        this.createdAt = requireNonNull(createdAt, "createdAt is null");
        this.updatedAt = createdAt;
    }

    String id() {
        return id;
    }

    long sequence() {
        return sequence;
    }

    String queryString() {
        return queryString;
    }

    PreparedSql preparedSql() {
        return preparedSql;
    }

    WarehouseTarget target() {
        return target;
    }

    String sessionId() {
        return sessionId;
    }

    ClientToken clientToken() {
        return clientToken;
    }

    Instant createdAt() {
        return createdAt;
    }

    ResultFormat resultFormat() {
        return resultFormat;
    }

    /** From the hang-statements fault: once started, it runs nothing and ends only when cancelled. */
    synchronized void hangUntilCancelled() {
        hangsUntilCancelled = true;
    }

    synchronized boolean hangsUntilCancelled() {
        return hangsUntilCancelled;
    }

    /** Waits until CancelStatement (or shutdown) asks this statement to stop. */
    synchronized void awaitCancelRequest() throws InterruptedException {
        while (!cancelRequested && !status.isTerminal()) {
            wait();
        }
    }

    /**
     * Waits until the statement ends or {@code atMost} passes, whichever comes first, and describes it
     * then. Parks on the completion future, so a virtual thread waiting here holds no carrier thread.
     */
    StatementSnapshot awaitEnd(Duration atMost) throws InterruptedException {
        try {
            ended.get(atMost.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException stillRunning) {
            // the wait is over: describe it as it is now
        } catch (ExecutionException impossible) {
            throw new IllegalStateException("the end of a statement is never exceptional", impossible);
        }
        return snapshot();
    }

    /** SUBMITTED -> PICKED; false when it was cancelled while queued. */
    synchronized boolean pick(Instant now, long nanos) {
        if (status != StatementStatus.SUBMITTED) {
            return false;
        }
        status = StatementStatus.PICKED;
        updatedAt = now;
        picked = true;
        pickedAtNanos = nanos;
        return true;
    }

    /** PICKED -> STARTED once its connection is ready; false when it was cancelled meanwhile. */
    synchronized boolean start(Instant now, long backendPid, long queryId) {
        if (status != StatementStatus.PICKED) {
            return false;
        }
        status = StatementStatus.STARTED;
        updatedAt = now;
        redshiftPid = backendPid;
        redshiftQueryId = queryId;
        return true;
    }

    /** Makes the executing JDBC statement cancellable; false when a cancel already arrived. */
    synchronized boolean attach(Statement statement) {
        if (cancelRequested || status.isTerminal()) {
            return false;
        }
        running = statement;
        return true;
    }

    synchronized void detach() {
        running = null;
        notifyAll();
    }

    /** Waits until no JDBC statement is executing for this statement; true when none is. */
    synchronized boolean awaitDetached(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (running != null) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return false;
            }
            wait(remainingMillis);
        }
        return true;
    }

    synchronized void finish(Instant now, long nanos, StatementResult statementResult, long rowsAffected) {
        if (endIfCancelled(now, nanos)) {
            return;
        }
        hasResultSet = statementResult != null;
        result = statementResult;
        resultRows = statementResult != null ? statementResult.rowCount() : rowsAffected;
        resultSize = statementResult != null ? statementResult.sizeBytes() : 0;
        end(StatementStatus.FINISHED, now, nanos);
    }

    synchronized void fail(Instant now, long nanos, String message) {
        if (endIfCancelled(now, nanos)) {
            return;
        }
        error = requireNonNull(message, "message is null");
        end(StatementStatus.FAILED, now, nanos);
    }

    synchronized void abort(Instant now, long nanos) {
        if (!status.isTerminal()) {
            end(StatementStatus.ABORTED, now, nanos);
        }
    }

    /**
     * A queued statement ends ABORTED at once; a started one is flagged, and its JDBC statement (if it is
     * executing) is handed back to be cancelled. A statement already ended is refused.
     */
    synchronized CancelDecision requestCancel(Instant now, long nanos) {
        if (status.isTerminal()) {
            return new CancelDecision(false, status, null);
        }
        cancelRequested = true;
        notifyAll();
        if (status != StatementStatus.STARTED) {
            end(StatementStatus.ABORTED, now, nanos);
            return new CancelDecision(true, null, null);
        }
        if (running != null) {
            cancelsInFlight++;
        }
        return new CancelDecision(true, null, running);
    }

    /** Called once the cancel request for {@link CancelDecision#toCancel()} has been sent. */
    synchronized void cancelDelivered() {
        cancelsInFlight--;
        notifyAll();
    }

    /**
     * Waits until a cancel request being sent has gone out, so that it cannot land on the next statement
     * of the same session once this one releases the connection.
     */
    synchronized void awaitCancelDelivered(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (cancelsInFlight > 0) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return;
            }
            wait(remainingMillis);
        }
    }

    synchronized StatementStatus status() {
        return status;
    }

    synchronized StatementResult result() {
        return result;
    }

    synchronized StatementSnapshot snapshot() {
        return new StatementSnapshot(id, sequence, queryString, parameters, target, sessionId, statementName,
                createdAt, status, updatedAt, durationNanos, error, redshiftPid, redshiftQueryId, hasResultSet,
                resultRows, resultSize);
    }

    private boolean endIfCancelled(Instant now, long nanos) {
        if (status.isTerminal()) {
            return true;
        }
        if (cancelRequested) {
            end(StatementStatus.ABORTED, now, nanos);
            return true;
        }
        return false;
    }

    private void end(StatementStatus terminal, Instant now, long nanos) {
        status = terminal;
        updatedAt = now;
        durationNanos = !picked ? 0 : Math.max(1, nanos - pickedAtNanos);
        running = null;
        notifyAll();
        ended.complete(null);
    }

    @Override
    public String toString() {
        return "TrackedStatement[id=" + id + ", status=" + status() + "]";
    }
}
