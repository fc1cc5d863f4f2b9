package dev.spectra.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParameterTest {

    @Test
    void aParameterWithoutATypeIsAString() {
        assertThat(QueryParameter.parse("region=EU")).isEqualTo(new QueryParameter("region", "EU", ParameterType.STRING));
    }

    @Test
    void aKnownUpperCaseTypeAfterTheLastColonIsTheType() {
        assertThat(QueryParameter.parse("n=3:INT")).isEqualTo(new QueryParameter("n", "3", ParameterType.INT));
        assertThat(QueryParameter.parse("at=2026-01-01T10:00:00:TIMESTAMP"))
                .isEqualTo(new QueryParameter("at", "2026-01-01T10:00:00", ParameterType.TIMESTAMP));
        for (ParameterType type : ParameterType.values()) {
            assertThat(QueryParameter.parse("x=1:" + type.name()).type()).isEqualTo(type);
        }
    }

    @Test
    void aColonFollowedByAnythingElseBelongsToTheValue() {
        assertThat(QueryParameter.parse("at=12:30")).isEqualTo(new QueryParameter("at", "12:30", ParameterType.STRING));
        assertThat(QueryParameter.parse("n=3:int")).isEqualTo(new QueryParameter("n", "3:int", ParameterType.STRING));
        assertThat(QueryParameter.parse("formula=a=b")).isEqualTo(new QueryParameter("formula", "a=b", ParameterType.STRING));
    }

    @Test
    void nullIsSqlNullAndAnEmptyValueIsAnEmptyString() {
        assertThat(QueryParameter.parse("x=null:INT")).isEqualTo(new QueryParameter("x", null, ParameterType.INT));
        assertThat(QueryParameter.parse("x=null")).isEqualTo(new QueryParameter("x", null, ParameterType.STRING));
        assertThat(QueryParameter.parse("x=")).isEqualTo(new QueryParameter("x", "", ParameterType.STRING));
    }

    @Test
    void refusesAnArgumentWithoutANameOrAnEqualsSign() {
        assertThatThrownBy(() -> QueryParameter.parse("=EU")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> QueryParameter.parse("region")).isInstanceOf(UsageException.class);
    }
}
