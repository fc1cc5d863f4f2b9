package dev.spectra.local.dataapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.spectra.local.dataapi.TestWarehouse.ACME;
import static dev.spectra.local.dataapi.TestWarehouse.CLUSTER;
import static dev.spectra.local.dataapi.TestWarehouse.DATABASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** DescribeStatement and GetStatementResult with WaitTimeSeconds, through the real SDK stack.client(). */
class DataApiLongPollingTest {

    private static final int CONCURRENT_POLLS = 50;

    @RegisterExtension
    static final EmulatorExtension stack = new EmulatorExtension();



    @Test
    void answersAsSoonAsTheStatementFinishesWithinTheWait() {
        String id = execute("SELECT pg_sleep(0.3)");
        long polling = System.nanoTime();

        DescribeStatementResponse described = stack.client().describeStatement(b -> b.id(id).waitTimeSeconds(5));

        assertThat(described.status()).isEqualTo(StatusString.FINISHED);
        assertThat(Duration.ofNanos(System.nanoTime() - polling)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void answersTheRunningStatusOnceTheWaitHasPassed() {
        String id = execute("SELECT pg_sleep(30)");
        long polling = System.nanoTime();

        DescribeStatementResponse described = stack.client().describeStatement(b -> b.id(id).waitTimeSeconds(2));

        Duration waited = Duration.ofNanos(System.nanoTime() - polling);
        assertThat(described.status()).isIn(StatusString.PICKED, StatusString.STARTED);
        assertThat(waited).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(5));
        stack.client().cancelStatement(b -> b.id(id));
    }

    @Test
    void answersAtOnceWithoutAWait() {
        String id = execute("SELECT pg_sleep(30)");
        long polling = System.nanoTime();

        DescribeStatementResponse described = stack.client().describeStatement(b -> b.id(id));

        assertThat(described.status()).isIn(StatusString.SUBMITTED, StatusString.PICKED, StatusString.STARTED);
        assertThat(Duration.ofNanos(System.nanoTime() - polling)).isLessThan(Duration.ofSeconds(1));
        stack.client().cancelStatement(b -> b.id(id));
    }

    @Test
    void getStatementResultWaitsForTheResult() {
        String id = execute("SELECT 42 AS answer FROM pg_sleep(0.3)");

        GetStatementResultResponse result = stack.client().getStatementResult(b -> b.id(id).waitTimeSeconds(5));

        assertThat(result.records()).singleElement()
                .satisfies(row -> assertThat(row.getFirst().longValue()).isEqualTo(42L));
    }

    @Test
    void refusesAWaitOutsideOneToThirtySeconds() {
        String id = execute("SELECT 1");

        for (int outOfRange : new int[] {0, -1, 31}) {
            assertThatThrownBy(() -> stack.client().describeStatement(b -> b.id(id).waitTimeSeconds(outOfRange)))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("waitTimeSeconds must be between 1 and 30");
        }
        assertThat(stack.client().describeStatement(b -> b.id(id).waitTimeSeconds(30)).status()).isEqualTo(StatusString.FINISHED);
    }

    @Test
    void manyLongPollsDoNotHoldUpOtherCalls() throws Exception {
        String sleeping = execute("SELECT pg_sleep(30)");
        ExecutorService pollers = Executors.newFixedThreadPool(CONCURRENT_POLLS);
        try {
            List<Future<DescribeStatementResponse>> polls = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_POLLS; i++) {
                polls.add(pollers.submit(() -> stack.client().describeStatement(b -> b.id(sleeping).waitTimeSeconds(20))));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.emulator().longPollsWaiting() == CONCURRENT_POLLS);

            long unrelated = System.nanoTime();
            String quick = execute("SELECT 1");
            DescribeStatementResponse finished = stack.client().describeStatement(b -> b.id(quick).waitTimeSeconds(5));

            assertThat(Duration.ofNanos(System.nanoTime() - unrelated)).isLessThan(Duration.ofSeconds(2));
            assertThat(finished.status()).isEqualTo(StatusString.FINISHED);
            assertThat(stack.emulator().longPollsWaiting()).isEqualTo(CONCURRENT_POLLS);

            stack.client().cancelStatement(b -> b.id(sleeping));
            for (Future<DescribeStatementResponse> poll : polls) {
                assertThat(poll.get(10, TimeUnit.SECONDS).status()).isEqualTo(StatusString.ABORTED);
            }
        } finally {
            pollers.shutdownNow();
        }
    }

    private static String execute(String sql) {
        return stack.client().executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(ACME).sql(sql)).id();
    }
}
