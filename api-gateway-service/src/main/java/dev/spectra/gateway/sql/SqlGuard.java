package dev.spectra.gateway.sql;

import dev.spectra.gateway.problem.Problem;
import dev.spectra.gateway.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.AbstractJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.Select;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.spectra.common.error.ErrorCode.SQL_INVALID;
import static dev.spectra.common.error.ErrorCode.SQL_MULTIPLE_STATEMENTS;
import static dev.spectra.common.error.ErrorCode.SQL_NOT_READ_ONLY;
import static java.util.Objects.requireNonNull;

/**
 * Accepts exactly one read-only query: a SELECT, a set operation, or a WITH whose parts are all
 * SELECTs, touching no system object. Everything else is refused with a SQL_* code before a job is
 * recorded.
 *
 * <p>A courtesy to the caller and a filter for obvious abuse, not the security boundary: every
 * statement runs as the tenant's own database user, and grants plus row-level security in the
 * warehouse decide what it can see. A parser and a warehouse will never agree on every corner of the
 * grammar, so what this guard lets through must be safe to run anyway.
 *
 * <p>Parsing is CPU work of unbounded length, so it never runs on an event loop: {@link #check} moves
 * it to the given scheduler, and the parser runs on its own bounded pool with a timeout
 * (JSqlParser interrupts a parse that overruns it).
 */
public final class SqlGuard {

    /** Leading keywords of statements that are not queries. Used when the parser cannot read the text. */
    private static final Set<String> NON_QUERY_KEYWORDS = Set.of(
            "ALTER", "ANALYZE", "BEGIN", "CALL", "CANCEL", "CLOSE", "COMMENT", "COMMIT", "COPY", "CREATE",
            "DEALLOCATE", "DECLARE", "DELETE", "DISCARD", "DO", "DROP", "END", "EXECUTE", "EXPLAIN", "FETCH",
            "GRANT", "INSERT", "LOCK", "MERGE", "MOVE", "PREPARE", "REFRESH", "REINDEX", "RELEASE", "RESET",
            "REVOKE", "ROLLBACK", "SAVEPOINT", "SET", "SHOW", "START", "TRUNCATE", "UNLOAD", "UPDATE",
            "VACUUM");
    private static final Pattern LEADING_NOISE = Pattern.compile("\\A(?:\\s+|--[^\\n]*(?:\\n|\\z)|/\\*.*?\\*/|\\()*", Pattern.DOTALL);
    private static final Pattern WORD = Pattern.compile("\\A[A-Za-z_]+");
    private static final Pattern EXCEPTION_PREFIX = Pattern.compile("\\A(?:[\\w.$]+(?:Exception|Error): )+");

    private final ExecutorService parserPool;
    private final Duration parseTimeout;
    private final Scheduler scheduler;
    private final MeterRegistry meters;

    /**
     * @param parserPool   where JSqlParser parses; bounded, so that parsing cannot take every core
     * @param parseTimeout how long one parse may take
     * @param scheduler    where {@link #check} waits for the parse; it blocks, so a scheduler for blocking work
     */
    public SqlGuard(ExecutorService parserPool, Duration parseTimeout, Scheduler scheduler, MeterRegistry meters) {
        this.parserPool = requireNonNull(parserPool, "parserPool is null");
        this.parseTimeout = requireNonNull(parseTimeout, "parseTimeout is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.meters = requireNonNull(meters, "meters is null");
    }

    /** Completes empty when the SQL is accepted; fails with a 400 {@link ProblemException} otherwise. */
    public Mono<Void> check(String sql) {
        return Mono.fromCallable(() -> timedInspect(sql))
                .subscribeOn(scheduler)
                .flatMap(rejection -> rejection
                        .map(reason -> Mono.<Void>error(new ProblemException(
                                new Problem(HttpStatus.BAD_REQUEST, reason.code(), reason.detail()))))
                        .orElseGet(Mono::empty));
    }

    private Optional<SqlRejection> timedInspect(String sql) {
        Timer.Sample sample = Timer.start(meters);
        Optional<SqlRejection> rejection = inspect(sql);
        sample.stop(Timer.builder("spectra.gateway.sql.guard")
                .description("Time the SQL guard took to parse and inspect one SQL text")
                .tag("outcome", rejection.map(reason -> reason.code().name()).orElse("accepted"))
                .register(meters));
        return rejection;
    }

    /** The reason to refuse {@code sql}, or empty to accept it. Blocks while parsing. */
    public Optional<SqlRejection> inspect(String sql) {
        requireNonNull(sql, "sql is null");
        Statements statements;
        try {
            statements = CCJSqlParserUtil.parseStatements(sql, parserPool, parser -> parser
                    .withDialect(AbstractJSqlParser.Dialect.POSTGRESQL)
                    .withTimeOut(parseTimeout.toMillis()));
        } catch (JSQLParserException e) {
            return Optional.of(unreadable(sql, e));
        }
        if (statements.isEmpty()) {
            return Optional.of(new SqlRejection(SQL_INVALID, "The SQL contains no statement."));
        }
        if (statements.size() > 1) {
            return Optional.of(new SqlRejection(SQL_MULTIPLE_STATEMENTS,
                    "Exactly one statement is accepted; found " + statements.size() + "."));
        }
        Statement statement = statements.getFirst();
        if (!(statement instanceof Select query)) {
            return Optional.of(notAQuery(sql));
        }
        return QueryInspector.inspect(query);
    }

    private SqlRejection unreadable(String sql, JSQLParserException e) {
        if (hasCause(e, TimeoutException.class)) {
            return new SqlRejection(SQL_INVALID,
                    "The SQL could not be parsed within " + parseTimeout.toMillis() + " ms; simplify it.");
        }
        // the parser knows no COPY, UNLOAD, VACUUM...: name such statements for what they are
        if (leadingKeyword(sql).filter(NON_QUERY_KEYWORDS::contains).isPresent()) {
            return notAQuery(sql);
        }
        return new SqlRejection(SQL_INVALID, firstLine(e));
    }

    private static SqlRejection notAQuery(String sql) {
        String found = leadingKeyword(sql).map(keyword -> keyword + " is not").orElse("this is not");
        return new SqlRejection(SQL_NOT_READ_ONLY,
                "Only read-only queries (SELECT, set operations, WITH ... SELECT) are accepted; " + found + " one.");
    }

    static Optional<String> leadingKeyword(String sql) {
        Matcher noise = LEADING_NOISE.matcher(sql);
        int start = noise.lookingAt() ? noise.end() : 0;
        Matcher word = WORD.matcher(sql).region(start, sql.length());
        return word.lookingAt() ? Optional.of(word.group().toUpperCase(Locale.ROOT)) : Optional.empty();
    }

    /** The parser's own first line, without exception class names; never a stack trace. */
    private static String firstLine(JSQLParserException e) {
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = deepest.getMessage() == null ? e.getMessage() : deepest.getMessage();
        String line = message == null ? "" : message.strip().lines().findFirst().orElse("");
        line = EXCEPTION_PREFIX.matcher(line).replaceFirst("");
        return line.isBlank() ? "The SQL could not be parsed." : line;
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        Throwable cause = error;
        while (cause != null && !type.isInstance(cause)) {
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return cause != null;
    }
}
