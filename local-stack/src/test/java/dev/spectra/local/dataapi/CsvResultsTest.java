package dev.spectra.local.dataapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultV2Response;
import software.amazon.awssdk.services.redshiftdata.model.QueryRecords;
import software.amazon.awssdk.services.redshiftdata.model.ResultFormatString;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static dev.spectra.local.dataapi.TestWarehouse.ACME;
import static dev.spectra.local.dataapi.TestWarehouse.CLUSTER;
import static dev.spectra.local.dataapi.TestWarehouse.DATABASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** ExecuteStatement's ResultFormat CSV and GetStatementResultV2, through the real SDK client. */
class CsvResultsTest {

    @RegisterExtension
    static final EmulatorExtension stack = new EmulatorExtension();

    @Test
    void aCsvResultComesAsRfc4180TextWithAHeaderOnTheFirstPage() {
        String id = execute(ResultFormatString.CSV, """
                SELECT 1 AS id, 'plain' AS plain, 'a,b' AS comma, 'say "hi"' AS quote, E'two\\nlines' AS newline,
                       E'cr\\rhere' AS cr, NULL::text AS nothing, '' AS empty, true AS yes, false AS no,
                       DATE '2024-01-31' AS day, TIMESTAMP '2024-01-31 10:15:00' AS at, 2.50::numeric(5, 2) AS amount,
                       '\\xcafe'::bytea AS bytes""");
        assertThat(awaitEnd(id).status()).isEqualTo(StatusString.FINISHED);

        GetStatementResultV2Response page = stack.client().getStatementResultV2(b -> b.id(id));

        assertThat(page.resultFormat()).isEqualTo(ResultFormatString.CSV);
        assertThat(page.totalNumRows()).isEqualTo(1);
        assertThat(page.columnMetadata()).extracting(column -> column.name())
                .containsExactly("id", "plain", "comma", "quote", "newline", "cr", "nothing", "empty", "yes", "no",
                        "day", "at", "amount", "bytes");
        assertThat(page.nextToken()).isNull();
        assertThat(page.records()).extracting(QueryRecords::csvRecords).containsExactly(
                "id,plain,comma,quote,newline,cr,nothing,empty,yes,no,day,at,amount,bytes\n"
                        + "1,plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",,\"\",t,f,"
                        + "2024-01-31,2024-01-31 10:15:00,2.50,cafe\n");
    }

    @Test
    void describeStatementReportsTheCsvTextsSizeAndPagesConcatenateToOneFile() {
        String id = execute(ResultFormatString.CSV,
                "SELECT n, repeat('y', 1500) AS pad FROM generate_series(1, 3000) AS n ORDER BY n");
        DescribeStatementResponse ended = awaitEnd(id);
        assertThat(ended.status()).isEqualTo(StatusString.FINISHED);

        String csv = allCsv(id);

        assertThat(ended.resultRows()).isEqualTo(3000);
        assertThat(ended.resultSize()).isEqualTo(csv.getBytes(StandardCharsets.UTF_8).length);
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(3001).first().isEqualTo("n,pad");
        assertThat(lines.subList(1, 3001)).extracting(line -> line.substring(0, line.indexOf(',')))
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 3000).mapToObj(String::valueOf).toList());
    }

    @Test
    void getStatementResultRefusesACsvStatementAndV2RefusesAJsonOne() {
        String csv = execute(ResultFormatString.CSV, "SELECT 1 AS one");
        String json = execute(null, "SELECT 1 AS one");
        awaitEnd(csv);
        awaitEnd(json);

        assertThatThrownBy(() -> stack.client().getStatementResult(b -> b.id(csv)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("GetStatementResultV2");
        assertThatThrownBy(() -> stack.client().getStatementResultV2(b -> b.id(json)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("GetStatementResult ");
    }

    @Test
    void anUnknownResultFormatIsAValidationError() {
        assertThatThrownBy(() -> stack.client().executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE)
                .dbUser(ACME).sql("SELECT 1").resultFormat("XML")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("[JSON, CSV]");
    }

    @Test
    void aCsvStatementOfAnotherTenantStillSeesOnlyItsRows() {
        String id = execute(ResultFormatString.CSV, "SELECT id FROM sales ORDER BY id");
        awaitEnd(id);

        assertThat(allCsv(id).lines().skip(1).map(Integer::parseInt).collect(Collectors.toList()))
                .hasSize(TestWarehouse.ACME_ROWS).allMatch(row -> row <= 26);
    }

    private static String allCsv(String id) {
        RedshiftDataClient client = stack.client();
        StringBuilder csv = new StringBuilder();
        String token = null;
        do {
            String next = token;
            GetStatementResultV2Response page = client.getStatementResultV2(b -> b.id(id).nextToken(next));
            page.records().forEach(records -> csv.append(records.csvRecords()));
            token = page.nextToken();
        } while (token != null);
        return csv.toString();
    }

    private static String execute(ResultFormatString format, String sql) {
        return stack.client().executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(ACME)
                .sql(sql).resultFormat(format)).id();
    }

    private static DescribeStatementResponse awaitEnd(String id) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> stack.client().describeStatement(b -> b.id(id)),
                        described -> List.of(StatusString.FINISHED, StatusString.FAILED, StatusString.ABORTED)
                                .contains(described.status()));
    }
}
