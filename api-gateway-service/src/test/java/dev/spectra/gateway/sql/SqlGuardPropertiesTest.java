package dev.spectra.gateway.sql;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import static dev.spectra.gateway.support.PropertiesBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;

class SqlGuardPropertiesTest {

    @EnableConfigurationProperties(SqlGuardProperties.class)
    static class Binding {
    }

    @Test
    void bindsDocumentedDefaults() {
        assertThat(bind(Binding.class, SqlGuardProperties.class)).isEqualTo(new SqlGuardProperties(true, 64, 0, 1, 32));
    }

    @Test
    void bindsOverridesForRedshift() {
        assertThat(bind(Binding.class, SqlGuardProperties.class,
                "spectra.gateway.sql.standard-conforming-strings=false",
                "spectra.gateway.sql.max-nesting-depth=32",
                "spectra.gateway.sql.parser-threads=8",
                "spectra.gateway.sql.parses-per-tenant=2",
                "spectra.gateway.sql.queued-parses-per-tenant=4"))
                .isEqualTo(new SqlGuardProperties(false, 32, 8, 2, 4));
    }

    @Test
    void sizesThePoolFromTheCoresUnlessTold() {
        assertThat(new SqlGuardProperties(true, 64, 0, 1, 32).parserThreads(2)).isEqualTo(4);
        assertThat(new SqlGuardProperties(true, 64, 0, 1, 32).parserThreads(16)).isEqualTo(32);
        assertThat(new SqlGuardProperties(true, 64, 6, 1, 32).parserThreads(16)).isEqualTo(6);
    }
}
