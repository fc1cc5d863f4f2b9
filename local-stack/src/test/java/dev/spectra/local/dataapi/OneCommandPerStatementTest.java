package dev.spectra.local.dataapi;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

import java.time.Duration;
import java.util.List;

import static dev.spectra.local.dataapi.TestWarehouse.ACME;
import static dev.spectra.local.dataapi.TestWarehouse.CLUSTER;
import static dev.spectra.local.dataapi.TestWarehouse.DATABASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One ExecuteStatement runs at most one command, however its text is lexed: the emulator asks pgjdbc how
 * many queries it would send and refuses more than one, and the one it sends is parsed by the server,
 * which refuses a second command inside it. Payloads call {@code nextval('probe')}, which survives any
 * rollback, so the administrator can see whether a second command ever ran.
 */
class OneCommandPerStatementTest {

    private static final String MULTIPLE_COMMANDS = "ERROR: cannot insert multiple commands into a prepared statement";
    private static final Duration STATEMENT_WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final EmulatorExtension stack = new EmulatorExtension();



    /** The statement that got past the emulator's own lexer: it ends {@code --} at \n only, PostgreSQL also at \r. */
    @Test
    void theCarriageReturnCommentStatementNeverRunsItsSecondCommand() {
        DescribeStatementResponse failed = run("SELECT E'\\' /*' --\r; DO $$BEGIN RAISE EXCEPTION 'ran as %', current_user; END$$ --*/");

        assertThat(failed.status()).isEqualTo(StatusString.FAILED);
        assertThat(failed.error()).isEqualTo(MULTIPLE_COMMANDS).doesNotContain("ran as");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT E'\\' /*' --\r; DO $$BEGIN PERFORM nextval('probe'); RAISE EXCEPTION 'ran as %', current_user; END$$ --*/",
            "SELECT 1; SELECT nextval('probe')",
            "SELECT 1 --\r; SELECT nextval('probe')",
            "SELECT 1 /* a /* nested */ b */; SELECT nextval('probe')",
            "SELECT $q$ ; $q$; SELECT nextval('probe')",
            "SELECT U&'\\0041'; SELECT nextval('probe')",
            "SELECT 'it''s'\f;\fSELECT nextval('probe')",
            "SELECT 1;\n\n-- then\nSELECT nextval('probe');"})
    void refusesTextHoldingASecondCommandWithoutRunningIt(String sql) {
        long probesBefore = stack.warehouse().probeCalls();

        DescribeStatementResponse failed = run(sql);

        assertThat(failed.status()).isEqualTo(StatusString.FAILED);
        assertThat(failed.error()).isEqualTo(MULTIPLE_COMMANDS);
        assertThat(stack.warehouse().probeCalls()).isEqualTo(probesBefore);
    }

    @Test
    void refusesASecondCommandAlsoWhenParametersAreBound() {
        long probesBefore = stack.warehouse().probeCalls();

        String id = stack.client().executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(ACME)
                .sql("SELECT :a::int; SELECT nextval('probe')")
                .parameters(SqlParameter.builder().name("a").value("1").build())).id();

        assertThat(awaitEnd(id).error()).isEqualTo(MULTIPLE_COMMANDS);
        assertThat(stack.warehouse().probeCalls()).isEqualTo(probesBefore);
    }

    /** Semicolons and comment starters inside literals and comments, and a trailing semicolon, keep one command. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT E'\\' ; ' AS v",
            "SELECT E'\\\\' || ' ; ' AS v",
            "SELECT 'a ; b' AS v /* ; */",
            "SELECT 1 AS v /* outer /* ; nested */ still ; comment */",
            "SELECT $tag$ ; $$ ; $tag$ AS v",
            "SELECT $$ -- ; /* $$ AS v",
            "SELECT U&'\\0041 ; ' AS v",
            "SELECT \"v\" FROM (SELECT 1 AS \"v\") AS \";\"",
            "SELECT 1 AS v -- ; comment\r",
            "SELECT 1 AS v\f",
            "SELECT ';' AS v ;",
            "SELECT 1 AS v; -- a comment after the terminator",
            "SELECT 1 AS v; /* a block comment after it */"})
    void runsOneCommandWhateverItsLiteralsAndCommentsHold(String sql) {
        DescribeStatementResponse finished = run(sql);

        assertThat(finished.status()).as(finished.error()).isEqualTo(StatusString.FINISHED);
        assertThat(finished.resultRows()).isEqualTo(1);
    }

    @Test
    void aSessionThatTurnsOffStandardConformingStringsStillRunsOneCommandPerStatement() {
        String first = stack.client().executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(ACME)
                .sql("SET standard_conforming_strings = off").sessionKeepAliveSeconds(30)).id();
        String session = awaitEnd(first).sessionId();
        long probesBefore = stack.warehouse().probeCalls();

        // backslash now escapes in plain strings: the quote after it does not end the literal
        String id = stack.client().executeStatement(b -> b.sessionId(session).sql("SELECT '\\'; SELECT nextval(''probe'') --' AS v")).id();
        DescribeStatementResponse oneCommand = awaitEnd(id);
        String split = stack.client().executeStatement(b -> b.sessionId(session).sql("SELECT 'x\\\\'; SELECT nextval('probe')")).id();
        DescribeStatementResponse twoCommands = awaitEnd(split);

        assertThat(oneCommand.status()).as(oneCommand.error()).isEqualTo(StatusString.FINISHED);
        assertThat(twoCommands.error()).isEqualTo(MULTIPLE_COMMANDS);
        assertThat(stack.warehouse().probeCalls()).isEqualTo(probesBefore);
    }

    private DescribeStatementResponse run(String sql) {
        String id = stack.client().executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(ACME).sql(sql)).id();
        return awaitEnd(id);
    }

    private static DescribeStatementResponse awaitEnd(String id) {
        return await().atMost(STATEMENT_WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> stack.client().describeStatement(b -> b.id(id)),
                        described -> List.of(StatusString.FINISHED, StatusString.FAILED, StatusString.ABORTED)
                                .contains(described.status()));
    }
}
