package dev.spectra.local.dataapi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.InternalServerException;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

import static dev.spectra.local.dataapi.DataApiOperation.DESCRIBE_STATEMENT;
import static dev.spectra.local.dataapi.DataApiOperation.EXECUTE_STATEMENT;
import static dev.spectra.local.dataapi.DataApiOperation.GET_STATEMENT_RESULT;
import static dev.spectra.local.dataapi.DataApiOperation.LIST_STATEMENTS;
import static dev.spectra.local.dataapi.TestWarehouse.ACME;
import static dev.spectra.local.dataapi.TestWarehouse.CLUSTER;
import static dev.spectra.local.dataapi.TestWarehouse.DATABASE;
import static dev.spectra.local.dataapi.TestWarehouse.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Faults armed at run time, seen through the real SDK client: mostly one that does not retry, so each
 * assertion sees what the emulator answered; where the default client retries, the fault's count shows it.
 */
class DataApiFaultsTest {

    private static final int WAIT_SECONDS = 10;

    private static TestWarehouse warehouse;
    private static DataApiEmulator emulator;
    private static DataApiFaults faults;
    private static RedshiftDataClient client;
    private static RedshiftDataClient retryingClient;

    @BeforeAll
    static void start() {
        warehouse = TestWarehouse.start();
        emulator = DataApiEmulator.start(warehouse.settings());
        faults = emulator.faults();
        client = TestWarehouse.clientWithoutRetriesFor(emulator.endpoint());
        retryingClient = TestWarehouse.clientFor(emulator.endpoint());
    }

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @AfterAll
    static void stop() throws IOException {
        client.close();
        retryingClient.close();
        emulator.close();
        warehouse.close();
    }

    @Test
    void throttlesTheScopedOperationAsManyTimesAsAskedAndCountsEachFiring() {
        String id = execute(ACME, "SELECT 1");
        Fault throttle = faults.throttle(FaultScope.of(DESCRIBE_STATEMENT), FaultLimit.times(2));

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> client.describeStatement(b -> b.id(id)))
                    .isInstanceOfSatisfying(RedshiftDataException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                        assertThat(e.isThrottlingException()).isTrue();
                    });
        }
        String unaffected = execute(ACME, "SELECT 2");

        assertThat(describe(id).status()).isEqualTo(StatusString.FINISHED);
        assertThat(unaffected).isNotBlank();
        assertThat(throttle.fired()).isEqualTo(2);
        assertThat(throttle.armed()).isFalse();
    }

    @Test
    void throttlingForAWhileEndsOnItsOwn() {
        client.listStatements(b -> b.maxResults(1));
        Fault throttle = faults.throttle(FaultScope.of(LIST_STATEMENTS), FaultLimit.during(Duration.ofSeconds(2)));

        assertThatThrownBy(() -> client.listStatements(b -> b.maxResults(1)))
                .isInstanceOfSatisfying(RedshiftDataException.class, e -> assertThat(e.isThrottlingException()).isTrue());

        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .untilAsserted(() -> assertThat(client.listStatements(b -> b.maxResults(1)).statements()).isNotNull());
        assertThat(throttle.armed()).isFalse();
    }

    @Test
    void aFaultScopedToOneDatabaseUserLeavesTheOthersAlone() {
        String acmeStatement = execute(ACME, "SELECT 1");
        String globexStatement = execute(GLOBEX, "SELECT 1");
        Fault throttle = faults.throttle(FaultScope.dbUser(GLOBEX), FaultLimit.untilCleared());

        assertThatThrownBy(() -> execute(GLOBEX, "SELECT 1")).isInstanceOf(RedshiftDataException.class);
        assertThatThrownBy(() -> client.describeStatement(b -> b.id(globexStatement))).isInstanceOf(RedshiftDataException.class);
        assertThat(execute(ACME, "SELECT 1")).isNotBlank();
        assertThat(describe(acmeStatement).status()).isEqualTo(StatusString.FINISHED);
        assertThat(throttle.fired()).isEqualTo(2);
    }

    @Test
    void serverErrorsAnswer500WhichTheDefaultClientRetries() {
        String id = execute(ACME, "SELECT 7 AS seven");
        describe(id);
        Fault serverError = faults.serverError(FaultScope.of(GET_STATEMENT_RESULT), FaultLimit.times(2));

        assertThatThrownBy(() -> client.getStatementResult(b -> b.id(id)))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        long seven = retryingClient.getStatementResult(b -> b.id(id)).records().getFirst().getFirst().longValue();

        assertThat(seven).isEqualTo(7L);
        assertThat(serverError.fired()).isEqualTo(2);
    }

    @Test
    void slowAnswersComeAfterTheDelay() {
        Fault slow = faults.slowAnswers(FaultScope.of(LIST_STATEMENTS), Duration.ofMillis(600), FaultLimit.times(1));
        long asking = System.nanoTime();

        client.listStatements(b -> b.maxResults(1));

        assertThat(Duration.ofNanos(System.nanoTime() - asking)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(slow.fired()).isEqualTo(1);
    }

    @Test
    void refusesStatementsAsOverTheActiveLimitWithoutRunningThem() {
        long probesBefore = warehouse.probeCalls();
        Fault limit = faults.activeStatementsExceeded(FaultScope.everything(), FaultLimit.times(1));

        assertThatThrownBy(() -> execute(ACME, "SELECT nextval('probe')"))
                .isInstanceOfSatisfying(ActiveStatementsExceededException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        String next = execute(ACME, "SELECT 1");

        assertThat(describe(next).status()).isEqualTo(StatusString.FINISHED);
        assertThat(warehouse.probeCalls()).isEqualTo(probesBefore);
        assertThat(limit.fired()).isEqualTo(1);
    }

    @Test
    void aSessionThatIsGoneIsRefusedAsNotAvailableAndClosed() {
        ExecuteStatementResponse opened = client.executeStatement(onCluster(ACME).andThen(b -> b
                .sql("SELECT 1").sessionKeepAliveSeconds(60)));
        long pid = describe(opened.id()).redshiftPid();
        Fault gone = faults.sessionGone(FaultScope.everything(), FaultLimit.times(1));

        assertThatThrownBy(() -> client.executeStatement(b -> b.sessionId(opened.sessionId()).sql("SELECT 1")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Session is not available");

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !warehouse.backendAlive(pid));
        assertThat(gone.fired()).isEqualTo(1);
        assertThat(gone.armed()).isFalse();
        assertThatThrownBy(() -> client.executeStatement(b -> b.sessionId(opened.sessionId()).sql("SELECT 1")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Session is not available");
    }

    @Test
    void hungStatementsStayStartedUntilCancelled() {
        Fault hang = faults.hangStatements(FaultScope.dbUser(ACME), FaultLimit.untilCleared());
        String hung = execute(ACME, "SELECT 1");
        String other = execute(GLOBEX, "SELECT 1");
        faults.clear();

        assertThat(describe(other).status()).isEqualTo(StatusString.FINISHED);
        assertThat(client.describeStatement(b -> b.id(hung).waitTimeSeconds(1)).status()).isEqualTo(StatusString.STARTED);
        assertThat(client.cancelStatement(b -> b.id(hung)).status()).isTrue();
        assertThat(describe(hung).status()).isEqualTo(StatusString.ABORTED);
        assertThat(hang.fired()).isEqualTo(1);
    }

    @Test
    void aResponseLostAfterExecutionIsRetriedWithTheSameClientTokenAndRunsTheStatementOnce() {
        long probesBefore = warehouse.probeCalls();
        Fault lost = faults.loseResponseAfterExecution(FaultScope.everything(), 1);

        String id = retryingClient.executeStatement(onCluster(ACME).andThen(b -> b.sql("SELECT nextval('probe')"))).id();

        assertThat(describe(id).status()).isEqualTo(StatusString.FINISHED);
        assertThat(lost.fired()).isEqualTo(1);
        assertThat(warehouse.probeCalls()).isEqualTo(probesBefore + 1);
    }

    @Test
    void aResponseLostAfterExecutionStillLeavesTheStatementRunning() {
        long probesBefore = warehouse.probeCalls();
        faults.loseResponseAfterExecution(FaultScope.everything(), 1);

        assertThatThrownBy(() -> execute(ACME, "SELECT nextval('probe')")).isInstanceOf(InternalServerException.class);

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> warehouse.probeCalls() == probesBefore + 1);
    }

    @Test
    void droppedConnectionsFailTheRunningStatementAndCloseTheSessions() {
        ExecuteStatementResponse idle = client.executeStatement(onCluster(GLOBEX).andThen(b -> b
                .sql("SELECT 1").sessionKeepAliveSeconds(60)));
        long idlePid = describe(idle.id()).redshiftPid();
        ExecuteStatementResponse busy = client.executeStatement(onCluster(GLOBEX).andThen(b -> b
                .sql("SELECT pg_sleep(30)").sessionKeepAliveSeconds(60)));
        await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                .until(() -> client.describeStatement(b -> b.id(busy.id())).status() == StatusString.STARTED);

        int dropped = faults.dropConnections();

        assertThat(dropped).isEqualTo(2);
        DescribeStatementResponse failed = describe(busy.id());
        assertThat(failed.status()).isEqualTo(StatusString.FAILED);
        assertThat(failed.error()).isNotBlank();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !warehouse.backendAlive(idlePid));
        for (String session : new String[] {idle.sessionId(), busy.sessionId()}) {
            assertThatThrownBy(() -> client.executeStatement(b -> b.sessionId(session).sql("SELECT 1")))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("Session is not available");
        }
    }

    @Test
    void faultsCanBeArmedCountedAndClearedOverHttpFromLoopback() throws Exception {
        String id = execute(ACME, "SELECT 1");
        URI faultsEndpoint = emulator.endpoint().resolve("/__faults");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> armed = post(http, faultsEndpoint,
                    "{\"fault\":\"throttle\",\"operation\":\"DescribeStatement\",\"dbUser\":\"tenant_acme\",\"times\":1}");
            assertThat(armed.statusCode()).isEqualTo(200);
            assertThat(armed.body()).contains("\"fault\":\"throttle\"").contains("\"fired\":0");

            assertThatThrownBy(() -> client.describeStatement(b -> b.id(id)))
                    .isInstanceOfSatisfying(RedshiftDataException.class, e -> assertThat(e.isThrottlingException()).isTrue());
            HttpResponse<String> listed = http.send(HttpRequest.newBuilder(faultsEndpoint).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(listed.body()).contains("\"fired\":1").contains("\"armed\":false");

            assertThat(post(http, faultsEndpoint, "{\"fault\":\"serverError\",\"operation\":\"DescribeStatement\"}").statusCode())
                    .isEqualTo(200);
            assertThat(post(http, faultsEndpoint, "{\"fault\":\"clear\"}").body()).contains("\"cleared\":true");
            assertThat(describe(id).status()).isEqualTo(StatusString.FINISHED);

            HttpResponse<String> refused = post(http, faultsEndpoint, "{\"fault\":\"throttle\",\"operation\":\"DropTable\"}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("Unknown operation DropTable");
            assertThat(faults.all()).isEmpty();
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI endpoint, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String execute(String dbUser, String sql) {
        return client.executeStatement(onCluster(dbUser).andThen(b -> b.sql(sql))).id();
    }

    private static Consumer<ExecuteStatementRequest.Builder> onCluster(String dbUser) {
        return b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(dbUser);
    }

    /** Waits, by long polling, for the statement to end. */
    private static DescribeStatementResponse describe(String id) {
        return client.describeStatement(b -> b.id(id).waitTimeSeconds(WAIT_SECONDS));
    }
}
