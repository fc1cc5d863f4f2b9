package dev.spectra.local.dataapi;

import com.sun.net.httpserver.HttpServer;
import dev.spectra.local.LocalAws;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * A Redshift Data API endpoint on loopback, backed by PostgreSQL, that the real AWS SDK client talks to
 * unchanged through {@code endpointOverride}. Statements run asynchronously as their database user, on
 * a bounded executor; sessions keep a dedicated connection while idle up to their keep-alive. Results are
 * read through a cursor and kept in files under the spool directory (see {@link SpooledRows}), so neither
 * one large result nor many kept ones can exhaust the heap.
 *
 * <p>Requests are served on virtual threads, one per request: a DescribeStatement or GetStatementResult
 * with {@code WaitTimeSeconds} (1..30, as the service allows) parks until the statement ends or the wait
 * passes, so any number of long polls cannot hold up other calls. ExecuteStatement's {@code ClientToken}
 * is kept per caller (signing access key) for as long as its statement is retained: a repeat returns the
 * first statement without running anything, and a repeat with other parameters is a ValidationException.
 *
 * <p>{@link #faults()} arms faults at run time (see {@link DataApiFaults}). A test driving the emulator in
 * another process does the same over HTTP, from loopback only:
 * <pre>
 * POST /__faults  {"fault":"throttle","operation":"DescribeStatement","dbUser":"tenant_acme","times":2}
 *                 {"fault":"serverError","operation":"GetStatementResult","duration":"PT5S"}
 *                 {"fault":"slowAnswers","operation":"ExecuteStatement","delay":"PT0.5S"}
 *                 {"fault":"activeStatementsExceeded" | "sessionGone" | "hangStatements", ...scope, limit}
 *                 {"fault":"loseResponseAfterExecution","times":1}
 *                 {"fault":"dropConnections"}   answers {"dropped":n}
 *                 {"fault":"clear"}
 * GET  /__faults  answers {"faults":[{"id":..,"fault":"throttle","operation":..,"times":2,"fired":1,"armed":true}]}
 * </pre>
 * {@code operation} (a wire name) and {@code dbUser} narrow a fault, absent meaning any; {@code times}
 * (a count) and {@code duration} (ISO-8601) bound it, absent meaning until cleared. An armed fault
 * answers with its description, an invalid body 400 {@code {"message":..}}.
 *
 * <p>{@link #close()} stops the HTTP server, cancels running statements (they end ABORTED), and closes
 * every connection and thread the emulator started.
 */
public final class DataApiEmulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataApiEmulator.class);
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMillis(200);
    private static final Duration STATEMENT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Rows the driver fetches per round trip while a result is read: rows may be up to 64 KB, so this
     * bounds what one running statement buffers to a few MB.
     */
    private static final int FETCH_ROWS = 100;

    private final HttpServer server;
    private final ExecutorService httpExecutor;
    private final ThreadPoolExecutor statementExecutor;
    private final ScheduledExecutorService housekeeping;
    private final StatementStore statements;
    private final SessionRegistry sessions;
    private final WarehouseConnector connector;
    private final DataApiService service;
    private final DataApiFaults faults;
    private final Clock clock;
    private final ResultSpoolDirectory spool;
    private final StatementRunner runner;
    private final Unloader unloader;
    private final URI endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DataApiEmulator(HttpServer server, ExecutorService httpExecutor, ThreadPoolExecutor statementExecutor,
                            ScheduledExecutorService housekeeping, StatementStore statements,
                            SessionRegistry sessions, WarehouseConnector connector, DataApiService service,
                            DataApiFaults faults, Clock clock, ResultSpoolDirectory spool, StatementRunner runner,
                            Unloader unloader) {
        this.server = server;
        this.httpExecutor = httpExecutor;
        this.statementExecutor = statementExecutor;
        this.housekeeping = housekeeping;
        this.statements = statements;
        this.sessions = sessions;
        this.connector = connector;
        this.service = service;
        this.faults = faults;
        this.clock = clock;
        this.spool = spool;
        this.runner = runner;
        this.unloader = unloader;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on: a response's headers and body then go out as two
        // segments, and the second waits for the client's delayed ACK, some 40 ms a call. A result paged in 2,000
        // calls waited 80 s for nothing. Read once, when the server's configuration class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public static DataApiEmulator start(DataApiSettings settings) {
        return start(settings, InetAddress.getLoopbackAddress());
    }

    /**
     * As {@link #start(DataApiSettings)}, listening on {@code bindAddress}: the emulator's own container
     * ({@link DataApiEmulatorMain}) listens on every interface, since its clients are in other containers.
     */
    public static DataApiEmulator start(DataApiSettings settings, InetAddress bindAddress) {
        requireNonNull(settings, "settings is null");
        requireNonNull(bindAddress, "bindAddress is null");
        Clock clock = Clock.systemUTC();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, settings.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress.getHostAddress() + ":" + settings.port(), e);
        }
        String threadPrefix = "data-api-" + server.getAddress().getPort() + "-";
        ResultSpoolDirectory spool = ResultSpoolDirectory.create(settings.spoolDirectory());

        WarehouseConnector connector = new WarehouseConnector(settings.postgresHost(), settings.postgresPort(),
                settings.passwordsByDbUser());
        StatementStore statements = new StatementStore(settings.maxActiveStatements(),
                StatementStore.DEFAULT_MAX_RETAINED_RESULT_BYTES);
        SessionRegistry sessions = new SessionRegistry(settings.maxSessions());
        Unloader unloader = settings.s3Endpoint() == null
                ? null
                : new Unloader(LocalAws.s3(settings.s3Endpoint()), settings.unloadBucket(), spool.path());
        StatementRunner runner = new StatementRunner(connector, sessions, statements,
                new ResultSetReader(settings.maxResultBytes(), spool.path(), settings.resultPageRows(),
                        settings.resultPageBytes()),
                unloader, Math.min(FETCH_ROWS, settings.resultPageRows()), clock);

        // admission control in StatementStore keeps the queue no longer than maxActiveStatements
        ThreadPoolExecutor statementExecutor = new ThreadPoolExecutor(settings.maxActiveStatements(),
                settings.maxActiveStatements(), 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads(threadPrefix + "statement-"));
        statementExecutor.allowCoreThreadTimeOut(true);
        // a virtual thread per request: long polls park without holding a platform thread, so they cannot
        // starve other calls however many there are
        ExecutorService httpExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name(threadPrefix + "http-", 1).factory());
        ScheduledExecutorService housekeeping =
                Executors.newSingleThreadScheduledExecutor(threads(threadPrefix + "housekeeping-"));

        DataApiFaults faults = new DataApiFaults(() -> dropSessionConnections(sessions, connector));
        DataApiService service = new DataApiService(statements, sessions, runner, statementExecutor, clock, faults);
        JsonMapper mapper = JsonMapper.builder().build();
        DataApiJson json = new DataApiJson(mapper);
        server.createContext("/", new DataApiHttpHandler(service, json, faults));
        server.createContext(DataApiFaultsHttpHandler.PATH, new DataApiFaultsHttpHandler(faults, json, mapper));
        server.setExecutor(httpExecutor);

        DataApiEmulator emulator = new DataApiEmulator(server, httpExecutor, statementExecutor, housekeeping,
                statements, sessions, connector, service, faults, clock, spool, runner, unloader);
        housekeeping.scheduleWithFixedDelay(emulator::housekeep, HOUSEKEEPING_INTERVAL.toMillis(),
                HOUSEKEEPING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        server.start();
        log.info("Redshift Data API emulator listening on {} ({})", emulator.endpoint, settings);
        return emulator;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The faults tests arm at run time; none are armed at start. */
    public DataApiFaults faults() {
        return faults;
    }

    /** How many statements with exactly this SQL text the warehouse started: a client token repeated runs nothing. */
    public long executionsOf(String sql) {
        return runner.executionsOf(sql);
    }

    /** DescribeStatement and GetStatementResult requests parked in a long poll right now. */
    int longPollsWaiting() {
        return service.longPollsWaiting();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        housekeeping.shutdownNow();
        for (TrackedStatement statement : statements.activeStatements()) {
            try {
                service.cancel(statement.id());
            } catch (DataApiException alreadyEnded) {
                // it ended on its own meanwhile
            }
        }
        statementExecutor.shutdown();
        awaitTermination(statementExecutor, STATEMENT_DRAIN_TIMEOUT);
        connector.closeAll(sessions.closeAll());
        connector.closeEverything();
        httpExecutor.shutdownNow();
        awaitTermination(httpExecutor, Duration.ofSeconds(5));
        awaitTermination(housekeeping, Duration.ofSeconds(5));
        statements.clear();
        if (unloader != null) {
            unloader.close();
        }
        spool.close();
        log.info("Redshift Data API emulator on {} stopped", endpoint);
    }

    /** Closes expired sessions and forgets statements past retention; runs on the housekeeping thread. */
    private void housekeep() {
        try {
            List<Connection> expired = sessions.expire(clock.instant());
            connector.closeAll(expired);
            statements.evictExpired(clock.instant());
        } catch (RuntimeException e) {
            log.warn("Data API emulator housekeeping failed", e);
        }
    }

    private static int dropSessionConnections(SessionRegistry sessions, WarehouseConnector connector) {
        List<Connection> dropped = sessions.dropConnections();
        dropped.forEach(connector::drop);
        log.info("Data API emulator dropped {} session connections (fault)", dropped.size());
        return dropped.size();
    }

    private static void awaitTermination(ExecutorService executor, Duration timeout) {
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
