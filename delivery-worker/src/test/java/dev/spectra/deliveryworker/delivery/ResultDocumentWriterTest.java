package dev.spectra.deliveryworker.delivery;

import dev.spectra.deliveryworker.config.DeliveryProperties;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

import static dev.spectra.deliveryworker.delivery.FakeStatementResults.column;
import static dev.spectra.deliveryworker.delivery.FakeStatementResults.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultDocumentWriterTest {

    private final ResultDocumentWriter writer = new ResultDocumentWriter(
            new DeliveryProperties(DataSize.ofKilobytes(1), new DeliveryProperties.Retry(1, Duration.ZERO, Duration.ZERO, 0)));

    @Test
    void writesEmptyResultWithColumnsAndNoRows() {
        ResultDocument document = writer.write(pages(GetStatementResultResponse.builder()
                .columnMetadata(column("region", "varchar")).records(List.of()).build()));

        String json = "{\"columns\":[{\"name\":\"region\",\"type\":\"varchar\"}],\"rows\":[],\"row_count\":0}";
        assertThat(document).isEqualTo(new ResultDocument.Complete(json, 0, json.length()));
    }

    @Test
    void writesNonFiniteDoublesAsStrings() {
        ResultDocument document = writer.write(pages(GetStatementResultResponse.builder()
                .columnMetadata(column("x", "float8"))
                .records(row(Field.fromDoubleValue(Double.POSITIVE_INFINITY)), row(Field.fromDoubleValue(Double.NEGATIVE_INFINITY)))
                .build()));

        assertThat(((ResultDocument.Complete) document).json()).contains("\"rows\":[[\"Infinity\"],[\"-Infinity\"]]");
    }

    @Test
    void countsBytesInUtf8() {
        ResultDocument document = writer.write(pages(GetStatementResultResponse.builder()
                .columnMetadata(column("city", "varchar")).records(row(Field.fromStringValue("Zürich / Москва"))).build()));

        ResultDocument.Complete complete = (ResultDocument.Complete) document;
        assertThat(complete.bytes()).isEqualTo(complete.json().getBytes(StandardCharsets.UTF_8).length);
        assertThat(complete.json()).contains("[\"Zürich / Москва\"]");
    }

    @Test
    void reportsTooLargeWhenColumnsAloneExceedLimit() {
        List<ColumnMetadata> columns = IntStream.range(0, 40)
                .mapToObj(i -> column("column_with_a_long_name_" + i, "varchar")).toList();

        ResultDocument document = writer.write(pages(GetStatementResultResponse.builder().columnMetadata(columns).records(List.of()).build()));

        assertThat(document).isInstanceOf(ResultDocument.TooLarge.class);
        assertThat(((ResultDocument.TooLarge) document).limit()).isEqualTo(1024);
    }

    @Test
    void refusesFieldWithoutValue() {
        assertThatThrownBy(() -> writer.write(pages(GetStatementResultResponse.builder()
                .columnMetadata(column("x", "varchar")).records(row(Field.builder().build())).build())))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Iterator<GetStatementResultResponse> pages(GetStatementResultResponse... pages) {
        return List.of(pages).iterator();
    }
}
