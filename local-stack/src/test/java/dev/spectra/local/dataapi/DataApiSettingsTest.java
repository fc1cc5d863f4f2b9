package dev.spectra.local.dataapi;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataApiSettingsTest {

    @Test
    void pinsTheDefaults() {
        DataApiSettings settings = DataApiSettings.defaults("localhost", 5432, Map.of("tenant_acme", "secret"));

        assertThat(settings.port()).isZero();
        assertThat(settings.resultPageRows()).isEqualTo(1000);
        assertThat(settings.resultPageBytes()).isEqualTo(1024 * 1024);
        assertThat(settings.s3Endpoint()).isNull();
        assertThat(settings.unloadBucket()).isNull();
        assertThat(settings.maxSessions()).isEqualTo(500);
        assertThat(settings.maxActiveStatements()).isEqualTo(32);
        assertThat(settings.maxResultBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(settings.spoolDirectory()).isNull();
    }

    @Test
    void refusesValuesThatCannotWork() {
        Map<String, String> passwords = Map.of();
        assertThatThrownBy(() -> new DataApiSettings(" ", 5432, passwords, 0, 10, 1, 1, 1, 1, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataApiSettings("localhost", 0, passwords, 0, 10, 1, 1, 1, 1, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataApiSettings("localhost", 5432, passwords, 70000, 10, 1, 1, 1, 1, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataApiSettings("localhost", 5432, passwords, 0, 0, 1, 1, 1, 1, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataApiSettings("localhost", 5432, passwords, 0, 10, 1, 0, 1, 1, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataApiSettings("localhost", 5432, passwords, 0, 10, 1, 1, 0, 1, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataApiSettings("localhost", 5432, passwords, 0, 10, 1, 1, 1, 0, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataApiSettings("localhost", 5432, passwords, 0, 10, 0, 1, 1, 1, null, null, null))
                .as("a page must hold at least a byte").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataApiSettings("localhost", 5432, passwords, 0, 10, 1, 1, 1, 1, null,
                java.net.URI.create("http://127.0.0.1:1"), null))
                .as("an S3 endpoint without its bucket").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsPasswordsOutOfItsDescription() {
        DataApiSettings settings = DataApiSettings.defaults("localhost", 5432, Map.of("tenant_acme", "secret"));

        assertThat(settings.toString()).contains("tenant_acme").doesNotContain("secret");
    }
}
