package dev.spectra.local.dataapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

import java.util.UUID;
import java.util.function.Consumer;

import static dev.spectra.local.dataapi.TestWarehouse.ACME;
import static dev.spectra.local.dataapi.TestWarehouse.CLUSTER;
import static dev.spectra.local.dataapi.TestWarehouse.DATABASE;
import static dev.spectra.local.dataapi.TestWarehouse.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ExecuteStatement's ClientToken: a repeat returns the first statement and runs nothing, whatever that
 * statement's state. Payloads call {@code nextval('probe')}, which survives a rollback, to count runs.
 */
class DataApiClientTokenTest {

    private static final int WAIT_SECONDS = 10;

    @RegisterExtension
    static final EmulatorExtension stack = new EmulatorExtension();



    @Test
    void aRepeatAfterTheStatementFinishedReturnsItWithoutRunningItAgain() {
        long probesBefore = stack.warehouse().probeCalls();
        Consumer<ExecuteStatementRequest.Builder> request = withNewToken(ACME, "SELECT nextval('probe')");

        String first = stack.client().executeStatement(request).id();
        awaitEnd(first);
        String repeated = stack.client().executeStatement(request).id();

        assertThat(repeated).isEqualTo(first);
        assertThat(awaitEnd(repeated).status()).isEqualTo(StatusString.FINISHED);
        assertThat(stack.warehouse().probeCalls()).isEqualTo(probesBefore + 1);
    }

    @Test
    void aRepeatWhileTheStatementRunsReturnsIt() {
        long probesBefore = stack.warehouse().probeCalls();
        Consumer<ExecuteStatementRequest.Builder> request = withNewToken(ACME, "SELECT nextval('probe') FROM pg_sleep(1)");

        String first = stack.client().executeStatement(request).id();
        String repeated = stack.client().executeStatement(request).id();

        assertThat(repeated).isEqualTo(first);
        assertThat(awaitEnd(first).status()).isEqualTo(StatusString.FINISHED);
        assertThat(stack.warehouse().probeCalls()).isEqualTo(probesBefore + 1);
    }

    @Test
    void aRepeatOfAFailedStatementReturnsTheFailureWithoutRunningItAgain() {
        long probesBefore = stack.warehouse().probeCalls();
        Consumer<ExecuteStatementRequest.Builder> request = withNewToken(ACME, "SELECT nextval('probe') / 0");

        String first = stack.client().executeStatement(request).id();
        assertThat(awaitEnd(first).status()).isEqualTo(StatusString.FAILED);
        String repeated = stack.client().executeStatement(request).id();

        assertThat(repeated).isEqualTo(first);
        assertThat(stack.warehouse().probeCalls()).isEqualTo(probesBefore + 1);
    }

    @Test
    void refusesATokenReusedForOtherSqlOrAnotherDatabaseUser() {
        String token = UUID.randomUUID().toString();
        String first = stack.client().executeStatement(onCluster(ACME).andThen(b -> b.sql("SELECT 1").clientToken(token))).id();
        awaitEnd(first);
        long probesBefore = stack.warehouse().probeCalls();

        assertThatThrownBy(() -> stack.client().executeStatement(onCluster(ACME).andThen(b -> b
                .sql("SELECT nextval('probe')").clientToken(token))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("ClientToken " + token + " was already used with different parameters");
        assertThatThrownBy(() -> stack.client().executeStatement(onCluster(GLOBEX).andThen(b -> b
                .sql("SELECT 1").clientToken(token))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("already used with different parameters");
        assertThat(stack.warehouse().probeCalls()).isEqualTo(probesBefore);
    }

    @Test
    void anotherCallerUsingTheSameTokenGetsItsOwnStatement() {
        long probesBefore = stack.warehouse().probeCalls();
        Consumer<ExecuteStatementRequest.Builder> request = withNewToken(ACME, "SELECT nextval('probe')");

        String mine = stack.client().executeStatement(request).id();
        String theirs;
        try (RedshiftDataClient otherCaller = TestWarehouse.clientFor(stack.emulator().endpoint(), "other-caller")) {
            theirs = otherCaller.executeStatement(request).id();
        }

        assertThat(theirs).isNotEqualTo(mine);
        awaitEnd(mine);
        awaitEnd(theirs);
        assertThat(stack.warehouse().probeCalls()).isEqualTo(probesBefore + 2);
    }

    private static Consumer<ExecuteStatementRequest.Builder> withNewToken(String dbUser, String sql) {
        String token = UUID.randomUUID().toString();
        return onCluster(dbUser).andThen(b -> b.sql(sql).clientToken(token));
    }

    private static Consumer<ExecuteStatementRequest.Builder> onCluster(String dbUser) {
        return b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(dbUser);
    }

    private static DescribeStatementResponse awaitEnd(String id) {
        DescribeStatementResponse described = stack.client().describeStatement(b -> b.id(id).waitTimeSeconds(WAIT_SECONDS));
        assertThat(described.status()).isIn(StatusString.FINISHED, StatusString.FAILED, StatusString.ABORTED);
        return described;
    }
}
