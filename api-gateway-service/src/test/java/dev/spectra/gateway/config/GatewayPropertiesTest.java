package dev.spectra.gateway.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

import static dev.spectra.gateway.support.PropertiesBinding.bind;
import static dev.spectra.gateway.support.PropertiesBinding.bindingFailure;
import static org.assertj.core.api.Assertions.assertThat;

class GatewayPropertiesTest {

    @EnableConfigurationProperties(GatewayProperties.class)
    static class Binding {
    }

    @Test
    void bindsDefaults() {
        assertThat(bind(Binding.class, GatewayProperties.class)).isEqualTo(new GatewayProperties(
                DataSize.ofMegabytes(1), 100_000, Duration.ofSeconds(2), Duration.ofDays(7), Duration.ofSeconds(30)));
    }

    @Test
    void bindsOverrides() {
        assertThat(bind(Binding.class, GatewayProperties.class,
                "spectra.gateway.max-request-size=64KB",
                "spectra.gateway.max-sql-length=5000",
                "spectra.gateway.sql-parse-timeout=500ms",
                "spectra.gateway.job-retention=1d",
                "spectra.gateway.tenant-cache-ttl=5s"))
                .isEqualTo(new GatewayProperties(DataSize.ofKilobytes(64), 5000, Duration.ofMillis(500),
                        Duration.ofDays(1), Duration.ofSeconds(5)));
    }

    @Test
    void refusesANonPositiveSqlLength() {
        bindingFailure(Binding.class, "spectra.gateway.max-sql-length=0").hasMessageContaining("maxSqlLength");
    }

    @Test
    void refusesAZeroCacheTimeToLive() {
        bindingFailure(Binding.class, "spectra.gateway.tenant-cache-ttl=0s").hasMessageContaining("tenantCacheTtl");
    }
}
