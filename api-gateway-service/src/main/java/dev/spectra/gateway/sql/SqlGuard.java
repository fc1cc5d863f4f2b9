package dev.spectra.gateway.sql;

import dev.spectra.common.statement.QueryParameter;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.problem.Problem;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import dev.spectra.gateway.sql.PostgresLexer.Token;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import net.sf.jsqlparser.parser.AbstractJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.Select;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static dev.spectra.common.error.ErrorCode.SQL_INVALID;
import static dev.spectra.common.error.ErrorCode.SQL_MULTIPLE_STATEMENTS;
import static dev.spectra.common.error.ErrorCode.SQL_NOT_READ_ONLY;
import static java.util.Objects.requireNonNull;

/**
 * Accepts exactly one read-only query: a SELECT, a set operation, or a WITH whose parts are all
 * SELECTs, touching no system object, calling only allowed functions and casting only to plain types.
 * Everything else is refused with a SQL_* code before a job is recorded. What it accepts it returns as
 * the {@link GuardedSql#text() canonical text}, which is what the warehouse then runs.
 *
 * <p>The order of the checks:
 * <ol>
 *   <li>{@link PostgresLexer} reads the text as PostgreSQL does; a text it cannot read is refused, and
 *       a {@code ;} followed by anything but comments makes it more than one statement.</li>
 *   <li>A statement that starts with a word such as DROP, SET or COPY is refused as not a query.</li>
 *   <li>{@link TokenInspector} checks names, every call, casts and typed literals on the tokens.</li>
 *   <li>JSqlParser parses the canonical text; {@link QueryInspector} checks that it is a read-only query
 *       over no system relation, and checks calls and casts a second time, on the parse tree.</li>
 * </ol>
 *
 * <p>A courtesy to the caller and a filter for abuse, not the wall: every statement runs as the tenant's
 * own database user under row-level security, and the warehouse refuses more than one command per
 * statement. See docs/SECURITY.md.
 *
 * <p>Parsing is CPU work, so it never runs on an event loop. Each tenant has its own lane on the parser
 * pool ({@link TenantBulkhead}): one tenant's slow SQL waits behind its own earlier SQL, never in front
 * of another tenant's. The parse timeout counts from the moment the parse starts, not from when the
 * request arrived, so a queue never turns into a timeout for somebody else.
 */
public final class SqlGuard {

    /** What the guard accepted: the canonical text, which is what the warehouse runs. */
    public record GuardedSql(String text) {
        public GuardedSql {
            requireNonNull(text, "text is null");
        }
    }

    /** The verdict on one text: a canonical text to run, or a reason to refuse it. */
    public record Verdict(Optional<GuardedSql> accepted, Optional<SqlRejection> rejection) {
        static Verdict accept(String text) {
            return new Verdict(Optional.of(new GuardedSql(text)), Optional.empty());
        }

        static Verdict refuse(SqlRejection rejection) {
            return new Verdict(Optional.empty(), Optional.of(rejection));
        }
    }

    /** Leading keywords of statements that are not queries, named in the answer when the parser cannot read them. */
    private static final Set<String> NON_QUERY_KEYWORDS = Set.of(
            "alter", "analyze", "begin", "call", "cancel", "close", "comment", "commit", "copy", "create",
            "deallocate", "declare", "delete", "discard", "do", "drop", "end", "execute", "explain", "fetch",
            "grant", "insert", "listen", "load", "lock", "merge", "move", "notify", "prepare", "reassign",
            "refresh", "reindex", "release", "reset", "revoke", "rollback", "savepoint", "security", "set",
            "show", "start", "truncate", "unlisten", "unload", "update", "vacuum");

    private static final Pattern EXCEPTION_PREFIX = Pattern.compile("\\A(?:[\\w.$]+(?:Exception|Error): )+");

    private final TenantBulkhead bulkhead;
    private final ScheduledExecutorService watchdog;
    private final Duration parseTimeout;
    private final SqlGuardProperties properties;
    private final MeterRegistry meters;

    /**
     * @param bulkhead     the parser pool, with a lane per tenant
     * @param watchdog     stops a parse that overruns {@code parseTimeout}
     * @param parseTimeout how long one parse may run
     */
    SqlGuard(TenantBulkhead bulkhead, ScheduledExecutorService watchdog, Duration parseTimeout,
             SqlGuardProperties properties, MeterRegistry meters) {
        this.bulkhead = requireNonNull(bulkhead, "bulkhead is null");
        this.watchdog = requireNonNull(watchdog, "watchdog is null");
        this.parseTimeout = requireNonNull(parseTimeout, "parseTimeout is null");
        this.properties = requireNonNull(properties, "properties is null");
        this.meters = requireNonNull(meters, "meters is null");
    }

    /**
     * Emits the text to run when the SQL is accepted; fails with a 400 {@link ProblemException} when it is
     * refused, or a 429 when the tenant already has too many texts waiting for the guard.
     */
    public Mono<GuardedSql> check(TenantId tenant, String sql) {
        return check(tenant, sql, List.of());
    }

    /** As {@link #check(TenantId, String)}, with {@code :name} markers bound to {@code parameters} ({@link ParameterMarkers}). */
    public Mono<GuardedSql> check(TenantId tenant, String sql, List<QueryParameter> parameters) {
        requireNonNull(sql, "sql is null");
        requireNonNull(parameters, "parameters is null");
        return bulkhead.submit(tenant, () -> timedInspect(sql, parameters))
                .onErrorMap(TenantBulkhead.TenantBusyException.class,
                        busy -> new ProblemException(Problems.sqlGuardBusy(), busy))
                .flatMap(verdict -> verdict.accepted()
                        .map(Mono::just)
                        .orElseGet(() -> Mono.error(new ProblemException(new Problem(HttpStatus.BAD_REQUEST,
                                verdict.rejection().orElseThrow().code(), verdict.rejection().orElseThrow().detail())))));
    }

    private Verdict timedInspect(String sql, List<QueryParameter> parameters) {
        Timer.Sample sample = Timer.start(meters);
        Verdict verdict = inspect(sql, parameters);
        sample.stop(Timer.builder("spectra.gateway.sql.guard")
                .description("Time the SQL guard took to lex, parse and inspect one SQL text")
                .tag("outcome", verdict.rejection().map(reason -> reason.code().name()).orElse("accepted"))
                .register(meters));
        return verdict;
    }

    /** The verdict on {@code sql}. Blocks while parsing; call it on a thread that may. */
    public Verdict inspect(String sql) {
        return inspect(sql, List.of());
    }

    /** The verdict on {@code sql} with its parameters; the accepted text has every marker bound. Blocks while parsing. */
    public Verdict inspect(String sql, List<QueryParameter> parameters) {
        requireNonNull(sql, "sql is null");
        List<Token> tokens;
        try {
            tokens = PostgresLexer.tokenize(sql, properties.standardConformingStrings());
        } catch (PostgresLexer.LexException e) {
            return Verdict.refuse(new SqlRejection(SQL_INVALID, e.getMessage() + " (at character " + (e.position() + 1) + ")."));
        }
        List<List<Token>> statements = splitStatements(tokens);
        if (statements.isEmpty()) {
            return Verdict.refuse(new SqlRejection(SQL_INVALID, "The SQL contains no statement."));
        }
        if (statements.size() > 1) {
            return Verdict.refuse(new SqlRejection(SQL_MULTIPLE_STATEMENTS,
                    "Exactly one statement is accepted; found " + statements.size() + "."));
        }
        List<Token> statement = statements.getFirst();
        if (leadingKeyword(statement).filter(NON_QUERY_KEYWORDS::contains).isPresent()) {
            return Verdict.refuse(notAQuery(statement));
        }
        Optional<SqlRejection> rejection = tooDeep(statement)
                .or(() -> TokenInspector.systemNames(statement))
                .or(() -> TokenInspector.functionCalls(statement))
                .or(() -> TokenInspector.types(statement));
        if (rejection.isPresent()) {
            return Verdict.refuse(rejection.get());
        }
        Optional<SqlRejection> unbound = ParameterMarkers.mismatch(statement, parameters);
        if (unbound.isPresent()) {
            return Verdict.refuse(unbound.get());
        }
        String canonical = PostgresLexer.canonical(ParameterMarkers.bind(statement, parameters));
        return parse(canonical, statement)
                .map(Verdict::refuse)
                .orElseGet(() -> Verdict.accept(canonical));
    }

    /** Statements separated by {@code ;}, empty ones (a trailing {@code ;}) left out, as PostgreSQL counts them. */
    private static List<List<Token>> splitStatements(List<Token> tokens) {
        List<List<Token>> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token token : tokens) {
            if (token.is(";")) {
                if (!current.isEmpty()) {
                    statements.add(current);
                    current = new ArrayList<>();
                }
            } else {
                current.add(token);
            }
        }
        if (!current.isEmpty()) {
            statements.add(current);
        }
        return statements;
    }

    /**
     * Parentheses, brackets and CASE ... END nest; JSqlParser's time grows steeply with the depth (300
     * nested CASE take it seconds), PostgreSQL's does not, and no report needs more than a few levels.
     */
    private Optional<SqlRejection> tooDeep(List<Token> statement) {
        int depth = 0;
        for (Token token : statement) {
            if (token.is("(") || token.is("[") || token.isKeyword("case")) {
                if (++depth > properties.maxNestingDepth()) {
                    return Optional.of(new SqlRejection(SQL_INVALID, "The SQL nests parentheses or CASE expressions more than "
                            + properties.maxNestingDepth() + " deep; simplify it."));
                }
            } else if (token.is(")") || token.is("]") || token.isKeyword("end")) {
                depth--;
            }
        }
        return Optional.empty();
    }

    private Optional<SqlRejection> parse(String canonical, List<Token> statement) {
        Statements parsed;
        try {
            parsed = parseWithDeadline(canonical);
        } catch (ParseTimeout e) {
            return Optional.of(new SqlRejection(SQL_INVALID,
                    "The SQL could not be parsed within " + parseTimeout.toMillis() + " ms; simplify it."));
        } catch (Exception | StackOverflowError e) {
            return Optional.of(new SqlRejection(SQL_INVALID, firstLine(e)));
        }
        if (parsed.size() != 1) {
            return Optional.of(new SqlRejection(SQL_INVALID, "The SQL could not be read as one statement."));
        }
        Statement only = parsed.getFirst();
        if (!(only instanceof Select query)) {
            return Optional.of(notAQuery(statement));
        }
        return QueryInspector.inspect(query);
    }

    private static final class ParseTimeout extends Exception {
        ParseTimeout() {
            super(null, null, false, false);
        }
    }

    /**
     * JSqlParser's own approach: a quick pass without its complex-parsing mode, then one with it when the
     * first fails. Both share one deadline; the watchdog sets the parser's interrupt flag, which its
     * loops check.
     */
    private Statements parseWithDeadline(String canonical) throws Exception {
        long deadline = System.nanoTime() + parseTimeout.toNanos();
        try {
            return parseOnce(canonical, false, deadline);
        } catch (ParseTimeout timeout) {
            throw timeout;
        } catch (Exception firstAttempt) {
            return parseOnce(canonical, true, deadline);
        }
    }

    private Statements parseOnce(String canonical, boolean complexParsing, long deadline) throws Exception {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new ParseTimeout();
        }
        CCJSqlParser parser = CCJSqlParserUtil.newParser(canonical)
                .withDialect(AbstractJSqlParser.Dialect.POSTGRESQL)
                .withAllowComplexParsing(complexParsing);
        ScheduledFuture<?> stop = watchdog.schedule(() -> {
            parser.interrupted = true;
        }, remaining, TimeUnit.NANOSECONDS);
        try {
            Statements statements = parser.Statements();
            if (parser.interrupted) {
                throw new ParseTimeout();
            }
            return statements;
        } catch (Exception | StackOverflowError e) {
            if (parser.interrupted) {
                throw new ParseTimeout();
            }
            throw e;
        } finally {
            stop.cancel(false);
        }
    }

    private static SqlRejection notAQuery(List<Token> statement) {
        String found = leadingKeyword(statement).map(keyword -> keyword.toUpperCase(Locale.ROOT) + " is not")
                .orElse("this is not");
        return new SqlRejection(SQL_NOT_READ_ONLY,
                "Only read-only queries (SELECT, set operations, WITH ... SELECT) are accepted; " + found + " one.");
    }

    /** The parser's own first line, without exception class names; never a stack trace. */
    private static String firstLine(Throwable e) {
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = deepest.getMessage() == null ? e.getMessage() : deepest.getMessage();
        String line = message == null ? "" : message.strip().lines().findFirst().orElse("");
        line = EXCEPTION_PREFIX.matcher(line).replaceFirst("");
        return line.isBlank() ? "The SQL could not be parsed." : line;
    }

    /** The first word of the statement, past opening parentheses. */
    static Optional<String> leadingKeyword(List<Token> statement) {
        return statement.stream()
                .filter(token -> !token.is("("))
                .findFirst()
                .filter(token -> token.kind() == PostgresLexer.Kind.IDENTIFIER)
                .map(Token::value);
    }
}
