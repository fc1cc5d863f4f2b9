package dev.spectra.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStackSettingsTest {

    private static final LocalStackSettings DEFAULTS = new LocalStackSettings(Path.of("repo"), Path.of("state"), 8080);

    @Test
    void runsOneKafkaBrokerInProcessByDefault() {
        assertThat(DEFAULTS.kafkaBrokers()).isEqualTo(1);
        assertThat(DEFAULTS.tenantLimits()).isEqualTo(TenantLimits.DEFAULTS);
    }

    @Test
    void withKafkaBrokersChangesOnlyTheBrokers() {
        LocalStackSettings three = DEFAULTS.withTenantLimits(TenantLimits.DEFAULTS).withKafkaBrokers(3);

        assertThat(three).isEqualTo(new LocalStackSettings(DEFAULTS.repositoryRoot(), DEFAULTS.stateDirectory(), 8080,
                TenantLimits.DEFAULTS, 3));
        assertThat(three.withTenantLimits(TenantLimits.DEFAULTS).kafkaBrokers()).isEqualTo(3);
    }

    @Test
    void refusesAStackWithoutABroker() {
        assertThatThrownBy(() -> DEFAULTS.withKafkaBrokers(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafkaBrokers");
    }
}
