package dev.spectra.local.dataapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultV2Response;
import software.amazon.awssdk.services.redshiftdata.model.ResultFormatString;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static dev.spectra.local.dataapi.TestWarehouse.CLUSTER;
import static dev.spectra.local.dataapi.TestWarehouse.DATABASE;
import static dev.spectra.local.dataapi.TestWarehouse.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pages end at whichever comes first of {@link DataApiSettings#DEFAULT_RESULT_PAGE_ROWS} rows and
 * {@link DataApiSettings#DEFAULT_RESULT_PAGE_BYTES} bytes, in both result formats, and never split a row.
 */
class ResultPagesTest {

    private static final int ROWS = 3000;
    /** 3000 rows of 2 KB: 3 pages by rows alone, about 6 MB and so at least 6 pages by bytes. */
    private static final String WIDE_ROWS = "SELECT n, repeat('w', 2000) AS pad FROM generate_series(1, " + ROWS + ") AS n ORDER BY n";

    @RegisterExtension
    static final EmulatorExtension stack = new EmulatorExtension();

    @Test
    void wideJsonRowsComeInMorePagesThanTheirCountAloneGivesEachRowOnce() {
        String id = execute(null);

        List<GetStatementResultResponse> pages = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetStatementResultResponse page = stack.client().getStatementResult(b -> b.id(id).nextToken(next));
            pages.add(page);
            token = page.nextToken();
        } while (token != null);

        assertThat(pages.size()).isGreaterThanOrEqualTo(6).isGreaterThan(ROWS / DataApiSettings.DEFAULT_RESULT_PAGE_ROWS);
        assertThat(pages).allSatisfy(page -> assertThat(page.records().stream()
                .mapToLong(row -> row.get(1).stringValue().length() + Long.BYTES).sum())
                .isLessThanOrEqualTo(DataApiSettings.DEFAULT_RESULT_PAGE_BYTES));
        assertThat(pages.stream().flatMap(page -> page.records().stream()).map(row -> row.get(0).longValue()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
        assertThat(pages).allSatisfy(page -> assertThat(page.totalNumRows()).isEqualTo(ROWS));
    }

    @Test
    void wideCsvRowsComeInMorePagesThanTheirCountAloneGivesEachRowOnce() {
        String id = execute(ResultFormatString.CSV);

        List<String> pages = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetStatementResultV2Response page = stack.client().getStatementResultV2(b -> b.id(id).nextToken(next));
            pages.add(page.records().getFirst().csvRecords());
            token = page.nextToken();
        } while (token != null);

        assertThat(pages.size()).isGreaterThanOrEqualTo(6);
        assertThat(pages).allSatisfy(page -> {
            assertThat(page.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo((int) DataApiSettings.DEFAULT_RESULT_PAGE_BYTES);
            assertThat(page).endsWith("\n");
        });
        List<String> rows = String.join("", pages).lines().skip(1).toList();
        assertThat(rows).extracting(row -> Long.parseLong(row.substring(0, row.indexOf(','))))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
        assertThat(rows).allSatisfy(row -> assertThat(row).endsWith(",".concat("w".repeat(2000))));
    }

    private static String execute(ResultFormatString format) {
        String id = stack.client().executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(GLOBEX)
                .sql(WIDE_ROWS).resultFormat(format)).id();
        DescribeStatementResponse ended = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> stack.client().describeStatement(b -> b.id(id)),
                        described -> List.of(StatusString.FINISHED, StatusString.FAILED, StatusString.ABORTED)
                                .contains(described.status()));
        assertThat(ended.status()).isEqualTo(StatusString.FINISHED);
        return id;
    }
}
