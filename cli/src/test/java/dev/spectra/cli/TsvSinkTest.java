package dev.spectra.cli;

import org.junit.jupiter.api.Test;

import static dev.spectra.cli.RowsFixture.columns;
import static dev.spectra.cli.RowsFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

class TsvSinkTest {

    @Test
    void writesAHeaderLineThenOneTabSeparatedLinePerRow() {
        String tsv = render(TsvSink::new, columns("region", "n"), "[\"APAC\", 750]", "[\"EU\", 750]");

        assertThat(tsv).isEqualTo("region\tn\nAPAC\t750\nEU\t750\n");
    }

    @Test
    void nullIsAnEmptyFieldAndOtherValuesKeepTheirJsonSpelling() {
        String tsv = render(TsvSink::new, columns("a", "b", "c", "d", "e"), "[null, true, 1.5, \"12.30\", {\"k\": [1]}]");

        assertThat(tsv.lines().toList().get(1)).isEqualTo("\ttrue\t1.5\t12.30\t{\"k\":[1]}");
    }

    @Test
    void tabsNewlinesAndBackslashesInsideValuesAreEscapedSoEachRowStaysOneLine() {
        String tsv = render(TsvSink::new, columns("note\tname"), "[\"a\\tb\\nc\\r\\\\d\"]");

        assertThat(tsv).isEqualTo("note\\tname\na\\tb\\nc\\r\\\\d\n");
    }

    @Test
    void anEmptyResultIsTheHeaderAlone() {
        assertThat(render(TsvSink::new, columns("region", "n"))).isEqualTo("region\tn\n");
    }
}
