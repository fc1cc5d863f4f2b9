package dev.spectra.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.spectra.cli.RowsFixture.columns;
import static dev.spectra.cli.RowsFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

class TableSinkTest {

    @Test
    void alignsColumnsUnderAHeaderAndASeparatorWithNumbersOnTheRight() {
        String table = render(TableSink::new, columns("region", "n"), "[\"APAC\", 750]", "[\"LATAM\", 1250]");

        assertThat(table.lines().toList()).containsExactly(
                "region |    n",
                "-------+-----",
                "APAC   |  750",
                "LATAM  | 1250");
    }

    @Test
    void showsNullAsNullAndKeepsAColumnOfNumbersAndNullsRightAligned() {
        String table = render(TableSink::new, columns("name", "amount"), "[\"a\", null]", "[null, 12]");

        assertThat(table.lines().toList()).containsExactly(
                "name | amount",
                "-----+-------",
                "a    |   NULL",
                "NULL |     12");
    }

    @Test
    void decimalsSentAsStringsStayLeftAlignedAsText() {
        String table = render(TableSink::new, columns("revenue", "x"), "[\"378002.50\", \"a\"]", "[\"1.00\", \"b\"]");

        assertThat(table.lines().toList().get(3)).isEqualTo("1.00      | b");
    }

    @Test
    void cutsLongValuesWithAnEllipsisAndShowsLineBreaksEscaped() {
        String longText = "x".repeat(100);
        String table = render(TableSink::new, columns("text"), "[\"" + longText + "\"]", "[\"two\\nlines\"]");

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).isEqualTo("x".repeat(TableSink.MAX_WIDTH - 1) + "…");
        assertThat(lines.get(3)).isEqualTo("two\\nlines");
    }

    @Test
    void anEmptyResultIsTheHeaderAndTheSeparator() {
        assertThat(render(TableSink::new, columns("region", "n")).lines().toList()).containsExactly("region | n", "-------+--");
    }
}
