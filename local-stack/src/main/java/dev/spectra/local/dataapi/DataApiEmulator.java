package dev.spectra.local.dataapi;

import com.sun.net.httpserver.HttpServer;
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
 * <p>{@link #close()} stops the HTTP server, cancels running statements (they end ABORTED), and closes
 * every connection and thread the emulator started.
 */
public final class DataApiEmulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataApiEmulator.class);
    private static final int HTTP_THREADS = 4;
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
    private final Clock clock;
    private final ResultSpoolDirectory spool;
    private final URI endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DataApiEmulator(HttpServer server, ExecutorService httpExecutor, ThreadPoolExecutor statementExecutor,
                            ScheduledExecutorService housekeeping, StatementStore statements,
                            SessionRegistry sessions, WarehouseConnector connector, DataApiService service,
                            Clock clock, ResultSpoolDirectory spool) {
        this.server = server;
        this.httpExecutor = httpExecutor;
        this.statementExecutor = statementExecutor;
        this.housekeeping = housekeeping;
        this.statements = statements;
        this.sessions = sessions;
        this.connector = connector;
        this.service = service;
        this.clock = clock;
        this.spool = spool;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public static DataApiEmulator start(DataApiSettings settings) {
        requireNonNull(settings, "settings is null");
        Clock clock = Clock.systemUTC();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + settings.port(), e);
        }
        String threadPrefix = "data-api-" + server.getAddress().getPort() + "-";
        ResultSpoolDirectory spool = ResultSpoolDirectory.create(settings.spoolDirectory());

        WarehouseConnector connector = new WarehouseConnector(settings.postgresHost(), settings.postgresPort(),
                settings.passwordsByDbUser());
        StatementStore statements = new StatementStore(settings.maxActiveStatements(),
                StatementStore.DEFAULT_MAX_RETAINED_RESULT_BYTES);
        SessionRegistry sessions = new SessionRegistry(settings.maxSessions());
        StatementRunner runner = new StatementRunner(connector, sessions, statements,
                new ResultSetReader(settings.maxResultBytes(), spool.path(), settings.resultPageRows()),
                Math.min(FETCH_ROWS, settings.resultPageRows()), clock);

        // admission control in StatementStore keeps the queue no longer than maxActiveStatements
        ThreadPoolExecutor statementExecutor = new ThreadPoolExecutor(settings.maxActiveStatements(),
                settings.maxActiveStatements(), 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads(threadPrefix + "statement-"));
        statementExecutor.allowCoreThreadTimeOut(true);
        ExecutorService httpExecutor = Executors.newFixedThreadPool(HTTP_THREADS, threads(threadPrefix + "http-"));
        ScheduledExecutorService housekeeping =
                Executors.newSingleThreadScheduledExecutor(threads(threadPrefix + "housekeeping-"));

        DataApiService service = new DataApiService(statements, sessions, runner, statementExecutor,
                settings.resultPageRows(), clock);
        server.createContext("/", new DataApiHttpHandler(service, new DataApiJson(JsonMapper.builder().build())));
        server.setExecutor(httpExecutor);

        DataApiEmulator emulator = new DataApiEmulator(server, httpExecutor, statementExecutor, housekeeping,
                statements, sessions, connector, service, clock, spool);
        housekeeping.scheduleWithFixedDelay(emulator::housekeep, HOUSEKEEPING_INTERVAL.toMillis(),
                HOUSEKEEPING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        server.start();
        log.info("Redshift Data API emulator listening on {} ({})", emulator.endpoint, settings);
        return emulator;
    }

    public URI endpoint() {
        return endpoint;
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
