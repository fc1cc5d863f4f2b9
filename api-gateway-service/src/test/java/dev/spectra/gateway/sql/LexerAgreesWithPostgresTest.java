package dev.spectra.gateway.sql;

import dev.spectra.gateway.sql.PostgresLexer.Token;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test of the SQL guard's lexer: every text of a corpus of lexical corner cases goes
 * to PostgreSQL 17's own parser, in one Parse message exactly as written, and through
 * {@link PostgresLexer}. They must agree on how many statements the text holds (the server refuses more
 * than one command in a Parse message), on whether it can be read at all, and, where it runs, the
 * canonical text the guard would send must return exactly the rows the original text returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LexerAgreesWithPostgresTest {

    private static final List<String> CORPUS = List.of(
            // the statement from the security review, and its relatives
            "SELECT E'\\' /*' --\r; SELECT 'second' --*/",
            "SELECT E'\\' /*' --\n; SELECT 'second' --*/",
            "SELECT 'a' --\r, 'b'",
            "SELECT 'a' --\r\n, 'b'",
            "SELECT 'a' --\f, 'b'",
            "SELECT 'a' --\u000b, 'b'",
            "SELECT 1 --\r; SELECT 2",
            "SELECT 1 -- ; SELECT 2",
            // block comments nest
            "SELECT 1 /* /* */ ; */ , 2",
            "SELECT 1 /* /* */ */ ; SELECT 2",
            "SELECT 1 /**/, 2 /***/, 3 /*/ */",
            "SELECT 1 /* unterminated /* */",
            "SELECT 1 +/* c */- 2, 3 -/**/-4",
            "SELECT 2 */* c */ 3",
            "SELECT 1 --- 2",
            // strings
            "SELECT 'it''s', '', ''''",
            "SELECT 'a;b', 'c--d', 'e/*f'",
            "SELECT '\\'; SELECT 'second'",
            "SELECT '\\' ; SELECT '\\'",
            "SELECT 'a'\n'b', 'c'\r'd', 'e' \t\n  'f'",
            "SELECT 'a' -- comment\n'b'",
            "SELECT 'a' /* comment */\n'b'",
            "SELECT 'a' 'b'",
            "SELECT 'a'\n\n'b'\n'c'",
            "SELECT 'unterminated",
            // escape strings
            "SELECT E'\\x41\\101\\u0041\\U00000041', E'\\n\\t\\b\\f\\r', E'\\z\\'\\\\'",
            "SELECT E'a'\n'\\x42'",
            "SELECT e'\\'', E'''', E'\\\\'",
            "SELECT E'\\xZ', E'\\x'",
            "SELECT E'\\u00e9\\u20AC', E'\\uD83D\\uDE00'",
            "SELECT E'\\uD83D'",
            "SELECT E'\\u0000'",
            "SELECT E'\\0'",
            "SELECT E'\\xC3\\xA9'",
            "SELECT E'\\xC3'",
            "SELECT E'unterminated\\'",
            // Unicode strings and identifiers
            "SELECT U&'\\0041\\+000042\\\\', U&'d\\0061t\\+000061'",
            "SELECT U&'!0041' UESCAPE '!', U&'#0041' /* c */ UESCAPE '#'",
            "SELECT U&'\\0041'\n'\\0042'",
            "SELECT U&'\\004'",
            "SELECT U&'!0041' UESCAPE 'ab'",
            "SELECT U&'a' UESCAPE '+'",
            "SELECT \"x\" FROM (SELECT 1 AS U&\"\\0078\") t",
            "SELECT U&\"!0078\" UESCAPE '!' FROM (SELECT 1 AS x) t",
            "SELECT 1 AS U&\"\"",
            "SELECT 1 AS \"\"",
            "SELECT \"a\"\"b\" FROM (SELECT 1 AS \"a\"\"b\") t",
            "SELECT \";\" FROM (SELECT 1 AS \";\") t",
            "SELECT \"unterminated",
            // national, bit and hex strings
            "SELECT N'national', B'101', X'1F', b'0'\n'1'",
            // dollar quoting
            "SELECT $$a;b$$, $t$c$$d$t$, $_x1$e$_x1$",
            "SELECT $a$x$b$a$",
            "SELECT $a$ ; $a$; SELECT 2",
            "SELECT $a$unterminated",
            "SELECT $1a",
            "SELECT a$b$ FROM (SELECT 1 AS \"a$b$\") t",
            "SELECT 1 AS x$$, 2",
            // numbers
            "SELECT 0x1F, 0o17, 0b101, 1_000, 1.5e3, .5, 5., 1e-2, 1E+2",
            "SELECT 1abc",
            "SELECT 1e",
            "SELECT 0x",
            "SELECT 1..2",
            "SELECT 1.a",
            // operators and punctuation
            "SELECT 1 +-2, 3 *-+4, 2 <>3, 4>=4, 5!=6",
            "SELECT 1::int, '2' :: text, 3::\"int8\"",
            "SELECT ARRAY[1,2][1:1]",
            "SELECT 1 \\ 2",
            "SELECT 1 { 2",
            // statement terminators
            "SELECT 1;",
            "SELECT 1; -- trailing",
            "SELECT 1; /* trailing */",
            "SELECT 1;;",
            ";SELECT 1",
            "SELECT 1; SELECT 2",
            // whitespace PostgreSQL knows
            "SELECT\u000b1,\f2",
            "SELECT\t1\r\n,\n2",
            // identifiers outside ASCII
            "SELECT 1 AS ü, 2 AS \"ß\", 3 AS ǅ",
            "SELECT\u00a01",
            "SELECT 1 AS \u212Aelvin");

    private EmbeddedPostgres postgres;
    private PostgresWire server;
    /** A session that reads strings as Redshift does: a backslash in '...' escapes. */
    private PostgresWire redshiftLike;

    @BeforeAll
    void startPostgres() throws IOException {
        Path moduleRoot = Path.of("").toAbsolutePath();
        Path data = Files.createTempDirectory(moduleRoot.resolve("target"), "lexer-postgres");
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                .setOverrideWorkingDirectory(moduleRoot.resolveSibling(".spectra/cache/postgres").toFile())
                .start();
        server = new PostgresWire(postgres.getPort(), "postgres", "postgres");
        redshiftLike = new PostgresWire(postgres.getPort(), "postgres", "postgres",
                Map.of("standard_conforming_strings", "off", "escape_string_warning", "off"));
    }

    @AfterAll
    void stopPostgres() throws IOException {
        if (server != null) {
            server.close();
        }
        if (redshiftLike != null) {
            redshiftLike.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void countsStatementsAndReadsLiteralsAsPostgresDoes() throws IOException {
        List<String> disagreements = new ArrayList<>();
        for (String sql : CORPUS) {
            String disagreement = compare(server, sql, true);
            if (disagreement != null) {
                disagreements.add(printable(sql) + "\n    " + disagreement);
            }
        }
        assertThat(disagreements).as("texts on which the guard's lexer and PostgreSQL disagree").isEmpty();
    }

    @Test
    void agreesWithPostgresWhenBackslashesEscapeInPlainStrings() throws IOException {
        List<String> disagreements = new ArrayList<>();
        for (String sql : CORPUS) {
            String disagreement = compare(redshiftLike, sql, false);
            if (disagreement != null) {
                disagreements.add(printable(sql) + "\n    " + disagreement);
            }
        }
        assertThat(disagreements).as("texts on which the guard's lexer (standard_conforming_strings off) and PostgreSQL disagree")
                .isEmpty();
    }

    @Test
    void theCorpusCoversEveryOutcome() throws IOException {
        int multiple = 0;
        int unreadable = 0;
        int ran = 0;
        for (String sql : CORPUS) {
            PostgresWire.Answer parsed = server.parse(sql);
            if (parsed.refusedAsMultipleCommands()) {
                multiple++;
            } else if (parsed.failed()) {
                unreadable++;
            } else if (!server.run(sql).failed()) {
                ran++;
            }
        }
        assertThat(multiple).as("texts PostgreSQL reads as several commands").isGreaterThanOrEqualTo(6);
        assertThat(unreadable).as("texts PostgreSQL cannot read").isGreaterThanOrEqualTo(10);
        assertThat(ran).as("texts that run").isGreaterThanOrEqualTo(30);
    }

    private static String compare(PostgresWire server, String sql, boolean standardConformingStrings) throws IOException {
        PostgresWire.Answer parsed = server.parse(sql);
        List<Token> tokens;
        try {
            tokens = PostgresLexer.tokenize(sql, standardConformingStrings);
        } catch (PostgresLexer.LexException e) {
            return parsed.failed() ? null : "the lexer refused it (" + e.getMessage() + ") but PostgreSQL parsed it";
        }
        int statements = statementCount(tokens);
        if (parsed.refusedAsMultipleCommands()) {
            return statements > 1 ? null : "PostgreSQL saw several commands, the lexer " + statements;
        }
        if (statements != 1) {
            return "the lexer saw " + statements + " statements, PostgreSQL one (" + describe(parsed) + ")";
        }
        String canonical = PostgresLexer.canonical(tokens.stream().filter(token -> !token.is(";")).toList());
        PostgresWire.Answer canonicalParsed = server.parse(canonical);
        if (parsed.failed() != canonicalParsed.failed()) {
            return "the canonical text " + printable(canonical) + " parses as " + describe(canonicalParsed)
                    + ", the original as " + describe(parsed);
        }
        if (parsed.failed()) {
            return null;
        }
        PostgresWire.Answer original = server.run(sql);
        PostgresWire.Answer rewritten = server.run(canonical);
        if (original.failed() != rewritten.failed() || !original.rows().equals(rewritten.rows())) {
            return "the canonical text " + printable(canonical) + " returns " + describe(rewritten)
                    + ", the original " + describe(original);
        }
        return null;
    }

    private static int statementCount(List<Token> tokens) {
        int statements = 0;
        boolean inStatement = false;
        for (Token token : tokens) {
            if (token.is(";")) {
                inStatement = false;
            } else if (!inStatement) {
                inStatement = true;
                statements++;
            }
        }
        return statements;
    }

    private static String describe(PostgresWire.Answer answer) {
        return answer.failed() ? "error " + answer.sqlState() + " " + answer.message() : "rows " + answer.rows();
    }

    private static String printable(String sql) {
        return sql.replace("\r", "\\r").replace("\n", "\\n").replace("\f", "\\f").replace("\u000b", "\\v");
    }
}
