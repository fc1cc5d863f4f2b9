package dev.spectra.local.dataapi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ActiveSessionsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.ListStatementsResponse;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static dev.spectra.local.dataapi.TestWarehouse.ACME;
import static dev.spectra.local.dataapi.TestWarehouse.ACME_ROWS;
import static dev.spectra.local.dataapi.TestWarehouse.CLUSTER;
import static dev.spectra.local.dataapi.TestWarehouse.DATABASE;
import static dev.spectra.local.dataapi.TestWarehouse.GLOBEX;
import static dev.spectra.local.dataapi.TestWarehouse.GLOBEX_ROWS;
import static dev.spectra.local.dataapi.TestWarehouse.INITECH;
import static dev.spectra.local.dataapi.TestWarehouse.LOCKED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Drives the emulator with the real AWS SDK client, against PostgreSQL with per-tenant logins and RLS. */
class DataApiEmulatorTest {

    private static final int PAGE_ROWS = 10;
    private static final Duration STATEMENT_WAIT = Duration.ofSeconds(10);

    private static TestWarehouse warehouse;
    private static DataApiEmulator emulator;
    private static RedshiftDataClient client;

    @BeforeAll
    static void startWarehouseAndEmulator() {
        warehouse = TestWarehouse.start();
        emulator = DataApiEmulator.start(warehouse.settings().withResultPageRows(PAGE_ROWS));
        client = TestWarehouse.clientFor(emulator.endpoint());
    }

    @AfterAll
    static void stopEverything() throws IOException {
        if (client != null) {
            client.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (warehouse != null) {
            warehouse.close();
        }
    }

    @Test
    void runsAQueryAndPagesItsTypedResult() {
        String id = execute(ACME, """
                SELECT id, region, amount, units, ratio, active, sold_on, sold_at, payload, note
                FROM sales ORDER BY id""");

        DescribeStatementResponse finished = awaitStatus(id, StatusString.FINISHED);
        assertThat(finished.hasResultSet()).isTrue();
        assertThat(finished.resultRows()).isEqualTo(ACME_ROWS);
        assertThat(finished.resultSize()).isPositive();
        assertThat(finished.duration()).isPositive();
        assertThat(finished.redshiftPid()).isPositive();
        assertThat(finished.queryString()).contains("FROM sales ORDER BY id");
        assertThat(finished.database()).isEqualTo(DATABASE);
        assertThat(finished.dbUser()).isEqualTo(ACME);
        assertThat(finished.clusterIdentifier()).isEqualTo(CLUSTER);
        assertThat(finished.updatedAt()).isAfterOrEqualTo(finished.createdAt());

        List<GetStatementResultResponse> pages = allPages(id);
        assertThat(pages).extracting(page -> page.records().size()).containsExactly(10, 10, 6);
        assertThat(pages).allSatisfy(page -> assertThat(page.totalNumRows()).isEqualTo(ACME_ROWS));
        assertThat(pages.getLast().nextToken()).isNull();

        List<ColumnMetadata> columns = pages.getFirst().columnMetadata();
        assertThat(columns).extracting(ColumnMetadata::name).containsExactly(
                "id", "region", "amount", "units", "ratio", "active", "sold_on", "sold_at", "payload", "note");
        assertThat(columns).extracting(ColumnMetadata::typeName).containsExactly(
                "int4", "varchar", "numeric", "int8", "float8", "bool", "date", "timestamp", "bytea", "text");
        assertThat(columns.get(2).precision()).isEqualTo(10);
        assertThat(columns.get(2).scale()).isEqualTo(2);
        assertThat(columns.getFirst().tableName()).isEqualTo("sales");
        assertThat(columns.getFirst().schemaName()).isEqualTo("public");
        assertThat(columns.getFirst().nullable()).isZero();

        List<Field> first = pages.getFirst().records().getFirst();
        assertThat(first.get(0).longValue()).isEqualTo(1L);
        assertThat(first.get(1).stringValue()).isEqualTo("US");
        assertThat(first.get(2).stringValue()).isEqualTo("10.25");
        assertThat(first.get(3).longValue()).isEqualTo(100L);
        assertThat(first.get(4).doubleValue()).isEqualTo(0.25);
        assertThat(first.get(5).booleanValue()).isFalse();
        assertThat(first.get(6).stringValue()).isEqualTo("2024-01-02");
        assertThat(first.get(7).stringValue()).isEqualTo("2024-01-31 11:15:00");
        assertThat(first.get(8).blobValue().asByteArray()).containsExactly(0xca, 0xfe, 0x01);
        assertThat(first.get(9).stringValue()).isEqualTo("row 1");

        List<Field> nulls = pages.getLast().records().getLast();
        assertThat(nulls.get(0).longValue()).isEqualTo(26L);
        assertThat(nulls.subList(1, nulls.size())).allSatisfy(field -> assertThat(field.isNull()).isTrue());
    }

    @Test
    void bindsNamedParametersAsValuesNotText() {
        String id = client.executeStatement(onCluster(ACME).andThen(b -> b
                .sql("SELECT count(*) AS sales, sum(units) AS units, :label::text || ' at 10:15' AS label "
                        + "FROM sales WHERE region = :region AND units >= :min_units")
                .parameters(parameter("region", "EU"), parameter("min_units", "500"), parameter("label", "eu")))).id();

        List<Field> row = allPages(id).getFirst().records().getFirst();
        assertThat(row.get(0).longValue()).isEqualTo(10L);
        assertThat(row.get(1).stringValue()).isEqualTo("15000");
        assertThat(row.get(2).stringValue()).isEqualTo("eu at 10:15");
        assertThat(client.describeStatement(b -> b.id(id)).queryParameters())
                .extracting(SqlParameter::name).containsExactly("region", "min_units", "label");

        String injection = client.executeStatement(onCluster(ACME).andThen(b -> b
                .sql("SELECT count(*) FROM sales WHERE region = :region")
                .parameters(parameter("region", "EU' OR '1'='1")))).id();
        assertThat(allPages(injection).getFirst().records().getFirst().getFirst().longValue()).isZero();
    }

    @Test
    void refusesAPlaceholderWithoutAValue() {
        assertThatThrownBy(() -> client.executeStatement(onCluster(ACME).andThen(b -> b
                .sql("SELECT * FROM sales WHERE region = :region AND units > :units")
                .parameters(parameter("region", "EU")))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(":units");
    }

    @Test
    void runsEveryStatementAsItsOwnDatabaseUserUnderRowLevelSecurity() {
        String asAcme = execute(ACME, "SELECT current_user, session_user, (SELECT count(*) FROM sales) AS visible");
        String asGlobex = execute(GLOBEX, "SELECT current_user, session_user, (SELECT count(*) FROM sales) AS visible");

        List<Field> acme = allPages(asAcme).getFirst().records().getFirst();
        List<Field> globex = allPages(asGlobex).getFirst().records().getFirst();
        assertThat(acme).extracting(Field::stringValue).startsWith(ACME, ACME);
        assertThat(acme.get(2).longValue()).isEqualTo(ACME_ROWS);
        assertThat(globex).extracting(Field::stringValue).startsWith(GLOBEX, GLOBEX);
        assertThat(globex.get(2).longValue()).isEqualTo(GLOBEX_ROWS);
    }

    @Test
    void reusesTheSessionConnectionForLaterStatements() {
        ExecuteStatementResponse opened = client.executeStatement(onCluster(ACME).andThen(b -> b
                .sql("CREATE TEMP TABLE scratch AS SELECT pg_backend_pid() AS pid")
                .sessionKeepAliveSeconds(60)));
        assertThat(opened.sessionId()).isNotBlank();
        DescribeStatementResponse created = awaitStatus(opened.id(), StatusString.FINISHED);
        assertThat(created.hasResultSet()).isFalse();
        assertThat(created.resultRows()).isEqualTo(1);
        assertThat(created.sessionId()).isEqualTo(opened.sessionId());

        ExecuteStatementResponse reused = client.executeStatement(b -> b
                .sessionId(opened.sessionId())
                .sql("SELECT pid, pg_backend_pid(), current_user FROM scratch"));
        assertThat(reused.sessionId()).isEqualTo(opened.sessionId());
        assertThat(reused.dbUser()).isEqualTo(ACME);
        DescribeStatementResponse read = awaitStatus(reused.id(), StatusString.FINISHED);

        List<Field> row = allPages(reused.id()).getFirst().records().getFirst();
        assertThat(row.get(0).longValue()).isEqualTo(row.get(1).longValue()).isEqualTo(created.redshiftPid());
        assertThat(read.redshiftPid()).isEqualTo(created.redshiftPid());
        assertThat(row.get(2).stringValue()).isEqualTo(ACME);
    }

    @Test
    void refusesASecondStatementOnABusySessionUntilTheFirstEnds() {
        ExecuteStatementResponse sleeping = client.executeStatement(onCluster(ACME).andThen(b -> b
                .sql("SELECT pg_sleep(30)")
                .sessionKeepAliveSeconds(60)));
        awaitStatus(sleeping.id(), StatusString.STARTED);

        assertThatThrownBy(() -> client.executeStatement(b -> b.sessionId(sleeping.sessionId()).sql("SELECT 1")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Session with Id: " + sleeping.sessionId())
                .hasMessageContaining("busy");

        assertThat(client.cancelStatement(b -> b.id(sleeping.id())).status()).isTrue();
        awaitStatus(sleeping.id(), StatusString.ABORTED);
        String next = client.executeStatement(b -> b.sessionId(sleeping.sessionId()).sql("SELECT 1")).id();
        awaitStatus(next, StatusString.FINISHED);
    }

    @Test
    void refusesASessionOnceItsKeepAliveHasPassed() {
        ExecuteStatementResponse opened = client.executeStatement(onCluster(GLOBEX).andThen(b -> b
                .sql("SELECT 1")
                .sessionKeepAliveSeconds(1)));
        long pid = awaitStatus(opened.id(), StatusString.FINISHED).redshiftPid();

        await().atMost(Duration.ofSeconds(10)).until(() -> !warehouse.backendAlive(pid));
        assertThatThrownBy(() -> client.executeStatement(b -> b.sessionId(opened.sessionId()).sql("SELECT 1")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Session is not available");
    }

    @Test
    void refusesAnUnknownSessionAndASessionCombinedWithConnectionDetails() {
        String unknown = UUID.randomUUID().toString();
        assertThatThrownBy(() -> client.executeStatement(b -> b.sessionId(unknown).sql("SELECT 1")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Session with Id: " + unknown + " is invalid");

        assertThatThrownBy(() -> client.executeStatement(onCluster(ACME).andThen(b -> b
                .sessionId(unknown).sql("SELECT 1"))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("SessionId cannot be combined");
    }

    @Test
    void failsAStatementWithThePostgresMessageForBadSql() {
        String id = execute(ACME, "SELECT * FROM no_such_table");

        DescribeStatementResponse failed = awaitStatus(id, StatusString.FAILED);
        assertThat(failed.error()).isEqualTo("ERROR: relation \"no_such_table\" does not exist");
        assertThat(failed.hasResultSet()).isFalse();
        assertThatThrownBy(() -> client.getStatementResult(b -> b.id(id)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Query does not have result. Please check query status with DescribeStatement.");
    }

    @Test
    void failsAStatementHoldingMoreThanOneCommand() {
        String id = execute(ACME, "SELECT 1; SELECT 2");

        assertThat(awaitStatus(id, StatusString.FAILED).error()).contains("multiple commands");
    }

    @Test
    void failsAStatementWhoseLoginIsRefused() {
        String unknownUser = execute("tenant_nobody", "SELECT 1");
        String wrongPassword = execute(LOCKED, "SELECT 1");

        assertThat(awaitStatus(unknownUser, StatusString.FAILED).error())
                .isEqualTo("FATAL: password authentication failed for user \"tenant_nobody\"");
        assertThat(awaitStatus(wrongPassword, StatusString.FAILED).error())
                .contains("password authentication failed for user \"" + LOCKED + "\"");
    }

    @Test
    void cancelsALongRunningStatementWhichEndsAborted() {
        String id = execute(ACME, "SELECT pg_sleep(30)");
        awaitStatus(id, StatusString.STARTED);

        assertThat(client.cancelStatement(b -> b.id(id)).status()).isTrue();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25))
                .until(() -> client.describeStatement(b -> b.id(id)).status() == StatusString.ABORTED);
        assertThatThrownBy(() -> client.cancelStatement(b -> b.id(id)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Could not cancel a query that is already in ABORTED state with ID: " + id);
    }

    @Test
    void refusesToCancelAFinishedStatement() {
        String id = execute(ACME, "SELECT 1");
        awaitStatus(id, StatusString.FINISHED);

        assertThatThrownBy(() -> client.cancelStatement(b -> b.id(id)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("already in FINISHED state");
    }

    @Test
    void answersResourceNotFoundForUnknownStatementIds() {
        String unknown = UUID.randomUUID().toString();

        assertThatThrownBy(() -> client.describeStatement(b -> b.id(unknown)))
                .isInstanceOfSatisfying(ResourceNotFoundException.class,
                        e -> assertThat(e.resourceId()).isEqualTo(unknown))
                .hasMessageContaining("Query does not exist.");
        assertThatThrownBy(() -> client.getStatementResult(b -> b.id(unknown)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> client.cancelStatement(b -> b.id(unknown)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> client.describeStatement(b -> b.id("not-a-statement-id")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("id must satisfy regex pattern");
    }

    @Test
    void returnsTheSameStatementForARepeatedClientToken() {
        String token = UUID.randomUUID().toString();
        Consumer<ExecuteStatementRequest.Builder> request = onCluster(ACME).andThen(b -> b
                .sql("SELECT 1").clientToken(token));

        String first = client.executeStatement(request).id();
        String again = client.executeStatement(request).id();

        assertThat(again).isEqualTo(first);
    }

    @Test
    void listsStatementsNewestFirstFilteredByNameAndStatus() {
        String prefix = "list-" + UUID.randomUUID() + "-";
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int number = i;
            String id = client.executeStatement(onCluster(ACME).andThen(b -> b
                    .sql("SELECT " + number).statementName(prefix + number))).id();
            awaitStatus(id, StatusString.FINISHED);
            ids.add(id);
        }
        String failed = client.executeStatement(onCluster(ACME).andThen(b -> b
                .sql("SELECT * FROM nowhere").statementName(prefix + "bad"))).id();
        awaitStatus(failed, StatusString.FAILED);

        ListStatementsResponse firstPage = client.listStatements(b -> b
                .statementName(prefix).status(StatusString.ALL).maxResults(2));
        assertThat(firstPage.statements()).extracting(StatementData::id).containsExactly(failed, ids.get(2));
        ListStatementsResponse secondPage = client.listStatements(b -> b
                .statementName(prefix).status(StatusString.ALL).maxResults(2).nextToken(firstPage.nextToken()));
        assertThat(secondPage.statements()).extracting(StatementData::id).containsExactly(ids.get(1), ids.get(0));
        assertThat(secondPage.nextToken()).isNull();

        assertThat(client.listStatements(b -> b.statementName(prefix)).statements())
                .extracting(StatementData::id).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(client.listStatements(b -> b.statementName(prefix).status(StatusString.FAILED)).statements())
                .singleElement()
                .satisfies(statement -> {
                    assertThat(statement.id()).isEqualTo(failed);
                    assertThat(statement.statementName()).isEqualTo(prefix + "bad");
                    assertThat(statement.queryString()).isEqualTo("SELECT * FROM nowhere");
                });
    }

    @Test
    void answersMalformedRequestsWithTheServiceErrors() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertError(http, "RedshiftData.ExecuteStatement", "{not json", "SerializationException");
            assertError(http, "RedshiftData.ExecuteStatement",
                    "{\"ClusterIdentifier\":\"c\",\"Database\":\"dev\",\"DbUser\":\"tenant_acme\"}", "ValidationException");
            assertError(http, "RedshiftData.DropEverything", "{}", "UnknownOperationException");
            assertError(http, null, "{}", "UnknownOperationException");
        }
    }

    @Test
    void enforcesSessionAndStatementLimitsAndClosesEverythingItOpened() {
        long dispatchersBefore = liveThreadsNamed("HTTP-Dispatcher");
        DataApiEmulator limited = DataApiEmulator.start(warehouse.settings().withLimits(1, 2));
        String threadPrefix = "data-api-" + limited.endpoint().getPort() + "-";
        try (RedshiftDataClient limitedClient = TestWarehouse.clientFor(limited.endpoint())) {
            ExecuteStatementResponse inSession = limitedClient.executeStatement(onCluster(INITECH).andThen(b -> b
                    .sql("SELECT pg_sleep(30)").sessionKeepAliveSeconds(60)));
            assertThatThrownBy(() -> limitedClient.executeStatement(onCluster(INITECH).andThen(b -> b
                    .sql("SELECT 1").sessionKeepAliveSeconds(60))))
                    .isInstanceOf(ActiveSessionsExceededException.class);
            String outside = limitedClient.executeStatement(onCluster(INITECH).andThen(b -> b
                    .sql("SELECT pg_sleep(30)"))).id();
            assertThatThrownBy(() -> limitedClient.executeStatement(onCluster(INITECH).andThen(b -> b.sql("SELECT 1"))))
                    .isInstanceOf(ActiveStatementsExceededException.class);

            await().atMost(STATEMENT_WAIT).until(() -> warehouse.connectionsOf(INITECH) == 2);
            awaitStatus(limitedClient, inSession.id(), StatusString.STARTED);
            awaitStatus(limitedClient, outside, StatusString.STARTED);
        }

        long closing = System.nanoTime();
        limited.close();

        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(5));
        await().atMost(STATEMENT_WAIT).until(() -> warehouse.connectionsOf(INITECH) == 0);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().startsWith(threadPrefix) && thread.isAlive());
        await().atMost(STATEMENT_WAIT).until(() -> liveThreadsNamed("HTTP-Dispatcher") == dispatchersBefore);
    }

    private static long liveThreadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name) && thread.isAlive())
                .count();
    }

    private static void assertError(HttpClient http, String target, String body, String expectedType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(emulator.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains(expectedType);
        assertThat(response.body()).contains("\"__type\":\"" + expectedType + "\"").contains("\"message\":");
    }

    private static String execute(String dbUser, String sql) {
        return client.executeStatement(onCluster(dbUser).andThen(b -> b.sql(sql))).id();
    }

    private static Consumer<ExecuteStatementRequest.Builder> onCluster(String dbUser) {
        return b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(dbUser);
    }

    private static SqlParameter parameter(String name, String value) {
        return SqlParameter.builder().name(name).value(value).build();
    }

    private static DescribeStatementResponse awaitStatus(String id, StatusString status) {
        return awaitStatus(client, id, status);
    }

    private static DescribeStatementResponse awaitStatus(RedshiftDataClient dataClient, String id, StatusString status) {
        return await().atMost(STATEMENT_WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> dataClient.describeStatement(b -> b.id(id)), described -> described.status() == status);
    }

    private static List<GetStatementResultResponse> allPages(String id) {
        awaitStatus(id, StatusString.FINISHED);
        List<GetStatementResultResponse> pages = new ArrayList<>();
        String token = null;
        do {
            String pageToken = token;
            GetStatementResultResponse page = client.getStatementResult(b -> b.id(id).nextToken(pageToken));
            pages.add(page);
            token = page.nextToken();
        } while (token != null);
        return pages;
    }
}
