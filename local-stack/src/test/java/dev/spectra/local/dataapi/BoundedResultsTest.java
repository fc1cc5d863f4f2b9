package dev.spectra.local.dataapi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.spectra.local.dataapi.TestWarehouse.CLUSTER;
import static dev.spectra.local.dataapi.TestWarehouse.DATABASE;
import static dev.spectra.local.dataapi.TestWarehouse.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A result over the size limit fails while it is being produced, with the real service's message, and
 * results are kept on disk, not on the heap.
 */
class BoundedResultsTest {

    private static final long ONE_MEGABYTE = 1024 * 1024;
    private static final int PAGE_ROWS = 1000;

    @TempDir
    static Path spool;

    private static TestWarehouse warehouse;
    private static DataApiEmulator emulator;
    private static RedshiftDataClient client;

    @BeforeAll
    static void start() {
        warehouse = TestWarehouse.start();
        emulator = DataApiEmulator.start(warehouse.settings()
                .withMaxResultBytes(ONE_MEGABYTE)
                .withResultPageRows(PAGE_ROWS)
                .withSpoolDirectory(spool.resolve("results")));
        client = TestWarehouse.clientFor(emulator.endpoint());
    }

    @AfterAll
    static void stop() throws IOException {
        client.close();
        emulator.close();
        assertThat(filesIn(spool.resolve("results"))).as("result files left after close").isEmpty();
        warehouse.close();
    }

    @Test
    void aResultOverTheLimitFailsAsSoonAsItPassesItWhileOthersStillRun() {
        long started = System.nanoTime();
        // in the select list the rows stream out one by one; to completion this would be 100 million rows
        String huge = execute("SELECT generate_series(1, 100000000) AS n");
        String small = execute("SELECT 42 AS answer");

        DescribeStatementResponse smallEnded = awaitEnd(small, Duration.ofSeconds(5));
        DescribeStatementResponse hugeEnded = awaitEnd(huge, Duration.ofSeconds(10));

        assertThat(hugeEnded.status()).isEqualTo(StatusString.FAILED);
        assertThat(hugeEnded.error()).startsWith("Database response exceeded size limit");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(smallEnded.status()).isEqualTo(StatusString.FINISHED);
        assertThat(client.getStatementResult(b -> b.id(small)).records().get(0).get(0).longValue()).isEqualTo(42);
    }

    @Test
    void aFunctionScanOverTheLimitAlsoFails() {
        String huge = execute("SELECT n FROM generate_series(1, 10000000) AS n");

        DescribeStatementResponse ended = awaitEnd(huge, Duration.ofSeconds(30));

        assertThat(ended.status()).isEqualTo(StatusString.FAILED);
        assertThat(ended.error()).startsWith("Database response exceeded size limit");
    }

    @Test
    void aResultUnderTheLimitIsKeptOnDiskAndPagesBackInOrder() throws IOException {
        String id = execute("SELECT n, repeat('x', 10) AS pad FROM generate_series(1, 2500) AS n ORDER BY n");
        assertThat(awaitEnd(id, Duration.ofSeconds(10)).status()).isEqualTo(StatusString.FINISHED);

        assertThat(filesIn(spool.resolve("results"))).isNotEmpty();
        GetStatementResultResponse first = client.getStatementResult(b -> b.id(id));
        GetStatementResultResponse second = client.getStatementResult(b -> b.id(id).nextToken(first.nextToken()));
        GetStatementResultResponse third = client.getStatementResult(b -> b.id(id).nextToken(second.nextToken()));

        assertThat(first.totalNumRows()).isEqualTo(2500);
        assertThat(first.records()).hasSize(PAGE_ROWS);
        assertThat(second.records().get(0).get(0).longValue()).isEqualTo(PAGE_ROWS + 1);
        assertThat(third.records()).hasSize(500);
        assertThat(third.records().get(499).get(0).longValue()).isEqualTo(2500);
        assertThat(third.records().get(499).get(1).stringValue()).isEqualTo("xxxxxxxxxx");
        assertThat(third.nextToken()).isNull();
    }

    @Test
    void aCsvResultOverTheLimitFailsWithTheSameErrorInDescribeStatement() {
        // about 12 bytes of CSV per row: past 1 MB within the first 100 000 rows
        String id = client.executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(GLOBEX)
                .resultFormat("CSV").sql("SELECT n, 'abc' AS t FROM generate_series(1, 10000000) AS n")).id();

        DescribeStatementResponse ended = awaitEnd(id, Duration.ofSeconds(30));

        assertThat(ended.status()).isEqualTo(StatusString.FAILED);
        assertThat(ended.error()).startsWith("Database response exceeded size limit");
        assertThat(ended.hasResultSet()).isFalse();
    }

    @Test
    void aNullOnlyResultCountsTheBytesItKeeps() {
        // the Data API counts NULL as empty; its file does not, so such a result cannot fill the disk
        String id = execute("SELECT NULL::int AS nothing FROM generate_series(1, 2000000)");

        DescribeStatementResponse ended = awaitEnd(id, Duration.ofSeconds(30));

        assertThat(ended.error()).startsWith("Database response exceeded size limit");
    }

    private static String execute(String sql) {
        return client.executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(GLOBEX).sql(sql)).id();
    }

    private static DescribeStatementResponse awaitEnd(String id, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> client.describeStatement(b -> b.id(id)),
                        described -> List.of(StatusString.FINISHED, StatusString.FAILED, StatusString.ABORTED)
                                .contains(described.status()));
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
