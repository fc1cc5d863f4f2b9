package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class LocalStackSettingsTest {

    private static final LocalStackSettings DEFAULTS = new LocalStackSettings(Path.of("repo"), Path.of("state"), 8080);

    @Test
    void demoTenantsRunAtTheWorkersDefaultConcurrencyUnlessOverridden() {
        LocalStackSettings limited = DEFAULTS.withTenantConcurrency(DemoTenant.ACME.id(), 1);

        assertThat(DEFAULTS.tenants()).extracting(DemoTenant::maxConcurrentQueries).containsOnly(DemoTenant.DEFAULT_CONCURRENCY);
        assertThat(limited.tenants()).extracting(DemoTenant::id, DemoTenant::maxConcurrentQueries).containsExactly(
                tuple(DemoTenant.ACME.id(), 1),
                tuple(DemoTenant.GLOBEX.id(), DemoTenant.DEFAULT_CONCURRENCY),
                tuple(DemoTenant.INITECH.id(), DemoTenant.DEFAULT_CONCURRENCY));
        assertThat(limited.withTenantLimits(TenantLimits.DEFAULTS).withKafkaBrokers(3).tenants()).isEqualTo(limited.tenants());
    }

    @Test
    void refusesAConcurrencyTheRegistryWouldRefuse() {
        assertThatThrownBy(() -> DEFAULTS.withTenantConcurrency(TenantId.of("acme"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runsOneKafkaBrokerInProcessByDefault() {
        assertThat(DEFAULTS.kafkaBrokers()).isEqualTo(1);
        assertThat(DEFAULTS.tenantLimits()).isEqualTo(TenantLimits.DEFAULTS);
    }

    @Test
    void withKafkaBrokersChangesOnlyTheBrokers() {
        LocalStackSettings three = DEFAULTS.withTenantLimits(TenantLimits.DEFAULTS).withKafkaBrokers(3);

        assertThat(three).isEqualTo(new LocalStackSettings(DEFAULTS.repositoryRoot(), DEFAULTS.stateDirectory(), 8080,
                TenantLimits.DEFAULTS, Map.of(), 3));
        assertThat(three.withTenantLimits(TenantLimits.DEFAULTS).kafkaBrokers()).isEqualTo(3);
        assertThat(three.withTenantConcurrency(DemoTenant.ACME.id(), 2).kafkaBrokers()).isEqualTo(3);
    }

    @Test
    void refusesAStackWithoutABroker() {
        assertThatThrownBy(() -> DEFAULTS.withKafkaBrokers(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafkaBrokers");
    }
}
