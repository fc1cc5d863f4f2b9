package dev.spectra.gateway.jobs;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import java.time.Duration;

import static dev.spectra.gateway.support.PropertiesBinding.bind;
import static dev.spectra.gateway.support.PropertiesBinding.bindingFailure;
import static org.assertj.core.api.Assertions.assertThat;

class QueriesPropertiesTest {

    @EnableConfigurationProperties(QueriesProperties.class)
    static class Binding {
    }

    @Test
    void bindsDefaults() {
        assertThat(bind(Binding.class, QueriesProperties.class))
                .isEqualTo(new QueriesProperties(Duration.ofMinutes(15), null, 50, 500, 100, Duration.ofSeconds(2)));
    }

    @Test
    void bindsOverrides() {
        assertThat(bind(Binding.class, QueriesProperties.class,
                "spectra.gateway.queries.max-timeout=2h",
                "spectra.gateway.queries.page-token-secret=0123456789abcdef0123456789abcdef",
                "spectra.gateway.queries.default-list-limit=10",
                "spectra.gateway.queries.max-list-limit=100",
                "spectra.gateway.queries.max-watches-per-tenant=7",
                "spectra.gateway.queries.wait-fallback-read=500ms"))
                .isEqualTo(new QueriesProperties(Duration.ofHours(2), "0123456789abcdef0123456789abcdef", 10, 100, 7,
                        Duration.ofMillis(500)));
    }

    @Test
    void refusesAShortPageTokenSecretWithoutEchoingIt() {
        bindingFailure(Binding.class, "spectra.gateway.queries.page-token-secret=short-secret")
                .hasMessageContaining("page-token-secret must be at least 32 characters")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void refusesADefaultListLimitAboveTheMaximum() {
        bindingFailure(Binding.class, "spectra.gateway.queries.default-list-limit=600").hasMessageContaining("default-list-limit");
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(new QueriesProperties(Duration.ofMinutes(1), "0123456789abcdef0123456789abcdef", 1, 1, 1, Duration.ofSeconds(1)).toString())
                .doesNotContain("0123456789abcdef");
    }
}
