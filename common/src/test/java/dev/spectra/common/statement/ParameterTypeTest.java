package dev.spectra.common.statement;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterTypeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "INT|42|42",
            "INT| -7 |-7",
            "BIGINT|9223372036854775807|9223372036854775807",
            "DECIMAL|12.50|12.50",
            "DECIMAL|1E+3|1000",
            "DOUBLE|1.5e3|1500.0",
            "BOOLEAN|TRUE|true",
            "DATE|2026-01-31|2026-01-31",
            "TIMESTAMP|2026-01-31T08:00|2026-01-31 08:00:00.000000",
            "TIMESTAMP|2026-01-31 08:00:01.25|2026-01-31 08:00:01.250000",
            "STRING|' EU '|' EU '"})
    void normalisesValuesToTheOneSpellingTheWarehouseReads(ParameterType type, String value, String travels) {
        assertThat(type.normalise(value)).isEqualTo(travels);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "INT|2147483648", "INT|1.0", "INT|abc", "BIGINT|9223372036854775808", "DOUBLE|NaN", "DOUBLE|Infinity",
            "DOUBLE|0x1p3", "DOUBLE|1d", "DECIMAL|1e400", "DECIMAL|123456789012345678901234567890123456789",
            "BOOLEAN|yes", "DATE|2026-02-30", "DATE|31/01/2026", "TIMESTAMP|2026-01-31T08:00Z"})
    void refusesValuesOfTheWrongType(ParameterType type, String value) {
        assertThatThrownBy(() -> type.normalise(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(type.expectation());
    }

    @Test
    void aDecimalIsCastToItsOwnScaleSoNoDigitIsLost() {
        assertThat(new QueryParameter("price", ParameterType.DECIMAL, "12.345").sqlInPlaceOfMarker())
                .isEqualTo("CAST(:price AS DECIMAL(38,3))");
    }

    @Test
    void nullAndTheEmptyStringAreWrittenAsConstantsAndNeverTravel() {
        QueryParameter none = new QueryParameter("region", ParameterType.STRING, null);
        QueryParameter empty = new QueryParameter("region", ParameterType.STRING, "");
        QueryParameter value = new QueryParameter("region", ParameterType.STRING, "EU");

        assertThat(none.sqlInPlaceOfMarker()).isEqualTo("CAST(NULL AS VARCHAR(65535))");
        assertThat(empty.sqlInPlaceOfMarker()).isEqualTo("CAST('' AS VARCHAR(65535))");
        assertThat(value.sqlInPlaceOfMarker()).isEqualTo("CAST(:region AS VARCHAR(65535))");
        assertThat(new JobOptions(null, java.util.Map.of(), null, java.util.List.of(none, empty.withName("e"), value.withName("v")))
                .boundParameters()).extracting(QueryParameter::name).containsExactly("v");
    }

    @Test
    void aParameterValueNeverReachesItsToString() {
        assertThat(new QueryParameter("secret", ParameterType.STRING, "hunter2").toString()).doesNotContain("hunter2");
    }
}
