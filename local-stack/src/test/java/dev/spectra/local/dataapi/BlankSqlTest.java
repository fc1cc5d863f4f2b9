package dev.spectra.local.dataapi;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BlankSqlTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "  \t\n\r\f", "-- done", " -- done\n", "/* a */", "/* a /* nested */ b */ -- c\r\n"})
    void findsNoCommandInWhitespaceAndComments(String sql) {
        assertThat(BlankSql.isBlank(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", " SELECT 1", "-- a\rSELECT 1", "-- a\nSELECT 1", "/* a /* nested */ SELECT 1",
            "/* a */ SELECT 1", "/* unterminated", "\u000b", "/* a */*/"})
    void countsAnythingElseAsACommand(String sql) {
        assertThat(BlankSql.isBlank(sql)).isFalse();
    }
}
