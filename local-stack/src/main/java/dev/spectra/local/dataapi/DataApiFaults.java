package dev.spectra.local.dataapi;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Faults a test arms at run time so that the emulator misbehaves the way the real service and warehouse
 * do: throttling, 500s, slow answers, the active-statement limit, sessions that vanish, statements that
 * hang, a response lost after the statement started, and connections the warehouse drops. Each arming
 * returns a {@link Fault} that counts how often it fired. Faults act only on requests that arrive while
 * they are armed; {@link #clear()} disarms them all.
 *
 * <p>The AWS SDK retries throttling and 5xx answers by itself, so a test either builds its client without
 * retries or asserts on {@link Fault#fired()}.
 */
public final class DataApiFaults {

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final IntSupplier connectionDropper;

    DataApiFaults(IntSupplier connectionDropper) {
        this.connectionDropper = requireNonNull(connectionDropper, "connectionDropper is null");
    }

    /** Matching requests answer ThrottlingException (HTTP 400), which the SDK retries with backoff. */
    public Fault throttle(FaultScope scope, FaultLimit limit) {
        return arm(Fault.Kind.THROTTLE, scope, limit, null);
    }

    /** Matching requests answer InternalServerException (HTTP 500), which the SDK retries. */
    public Fault serverError(FaultScope scope, FaultLimit limit) {
        return arm(Fault.Kind.SERVER_ERROR, scope, limit, null);
    }

    /** Matching requests are handled only after {@code delay}. */
    public Fault slowAnswers(FaultScope scope, Duration delay, FaultLimit limit) {
        requireNonNull(delay, "delay is null");
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("delay must be positive, was " + delay);
        }
        return arm(Fault.Kind.SLOW_ANSWER, scope, limit, delay);
    }

    /** ExecuteStatement answers ActiveStatementsExceededException, as when the account's limit is reached. */
    public Fault activeStatementsExceeded(FaultScope scope, FaultLimit limit) {
        return arm(Fault.Kind.ACTIVE_STATEMENTS_EXCEEDED, executeOnly(scope), limit, null);
    }

    /**
     * ExecuteStatement with the SessionId of a live, idle session closes that session (and its warehouse
     * connection) and answers what the service answers for an expired one: ValidationException
     * "Session is not available".
     */
    public Fault sessionGone(FaultScope scope, FaultLimit limit) {
        return arm(Fault.Kind.SESSION_GONE, executeOnly(scope), limit, null);
    }

    /** Statements started meanwhile stay STARTED, holding their connection, until CancelStatement. */
    public Fault hangStatements(FaultScope scope, FaultLimit limit) {
        return arm(Fault.Kind.HANG_STATEMENTS, executeOnly(scope), limit, null);
    }

    /**
     * ExecuteStatement starts the statement, then answers InternalServerException (HTTP 500) instead of
     * its id, as when the response is lost on the way; the SDK's retry carries the same ClientToken, so
     * the statement still runs once.
     */
    public Fault loseResponseAfterExecution(FaultScope scope, int times) {
        return arm(Fault.Kind.LOSE_RESPONSE_AFTER_EXECUTION, executeOnly(scope), FaultLimit.times(times), null);
    }

    /**
     * Closes the warehouse connection of every live session now, as when the warehouse drops them: a
     * statement running on one fails with the driver's error, and the session closes once it ends.
     *
     * @return how many connections were dropped
     */
    public int dropConnections() {
        return connectionDropper.getAsInt();
    }

    /** Every fault armed since the last {@link #clear()}, disarmed ones included, oldest first. */
    public List<Fault> all() {
        return List.copyOf(faults);
    }

    /** Disarms and forgets every fault. */
    public void clear() {
        faults.forEach(Fault::clear);
        faults.clear();
    }

    /**
     * Applies the faults that act before a request is handled: waits for slow answers, then throws the
     * first error a matching fault calls for. {@code dbUser} is asked only when a fault needs it.
     */
    void beforeRequest(DataApiOperation operation, Supplier<String> dbUser) {
        if (faults.isEmpty()) {
            return;
        }
        Supplier<String> user = memoized(dbUser);
        Duration delay = Duration.ZERO;
        for (Fault fault : faults) {
            if (fault.kind() == Fault.Kind.SLOW_ANSWER && fires(fault, operation, user)) {
                delay = delay.plus(fault.delay());
            }
        }
        if (!delay.isZero()) {
            pause(delay);
        }
        if (fire(Fault.Kind.THROTTLE, operation, user)) {
            throw DataApiException.throttling("Rate exceeded");
        }
        if (fire(Fault.Kind.SERVER_ERROR, operation, user)) {
            throw DataApiException.internal("Internal server error (injected by the emulator's faults).");
        }
        if (operation == DataApiOperation.EXECUTE_STATEMENT && fire(Fault.Kind.ACTIVE_STATEMENTS_EXCEEDED, operation, user)) {
            throw DataApiException.activeStatementsExceeded("Active statements exceeded the allowed quota.");
        }
    }

    boolean sessionGone(String dbUser) {
        return fire(Fault.Kind.SESSION_GONE, DataApiOperation.EXECUTE_STATEMENT, () -> dbUser);
    }

    boolean hangs(String dbUser) {
        return fire(Fault.Kind.HANG_STATEMENTS, DataApiOperation.EXECUTE_STATEMENT, () -> dbUser);
    }

    boolean losesResponse(String dbUser) {
        return fire(Fault.Kind.LOSE_RESPONSE_AFTER_EXECUTION, DataApiOperation.EXECUTE_STATEMENT, () -> dbUser);
    }

    private boolean fire(Fault.Kind kind, DataApiOperation operation, Supplier<String> dbUser) {
        boolean fired = false;
        for (Fault fault : faults) {
            if (fault.kind() == kind && fires(fault, operation, dbUser)) {
                fired = true;
            }
        }
        return fired;
    }

    private static boolean fires(Fault fault, DataApiOperation operation, Supplier<String> dbUser) {
        if (!fault.scope().covers(operation)) {
            return false;
        }
        String user = fault.scope().dbUser() == null ? null : dbUser.get();
        return fault.tryFire(operation, user, System.nanoTime());
    }

    private Fault arm(Fault.Kind kind, FaultScope scope, FaultLimit limit, Duration delay) {
        requireNonNull(scope, "scope is null");
        requireNonNull(limit, "limit is null");
        Fault fault = new Fault(UUID.randomUUID().toString(), kind, scope, limit, delay, System.nanoTime());
        faults.add(fault);
        return fault;
    }

    private static FaultScope executeOnly(FaultScope scope) {
        requireNonNull(scope, "scope is null");
        if (!scope.covers(DataApiOperation.EXECUTE_STATEMENT)) {
            throw new IllegalArgumentException("this fault acts on ExecuteStatement only, not on " + scope.operation());
        }
        return new FaultScope(DataApiOperation.EXECUTE_STATEMENT, scope.dbUser());
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DataApiException.internal("The Data API emulator is shutting down.");
        }
    }

    private static Supplier<String> memoized(Supplier<String> supplier) {
        return new Supplier<>() {
            private boolean asked;
            private String value;

            @Override
            public String get() {
                if (!asked) {
                    value = supplier.get();
                    asked = true;
                }
                return value;
            }
        };
    }
}
