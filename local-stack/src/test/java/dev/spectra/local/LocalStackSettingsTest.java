package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class LocalStackSettingsTest {

    private final LocalStackSettings settings = new LocalStackSettings(Path.of("."), Path.of("state"), 8080);

    @Test
    void demoTenantsRunAtTheWorkersDefaultConcurrencyUnlessOverridden() {
        LocalStackSettings limited = settings.withTenantConcurrency(DemoTenant.ACME.id(), 1);

        assertThat(settings.tenants()).extracting(DemoTenant::maxConcurrentQueries).containsOnly(DemoTenant.DEFAULT_CONCURRENCY);
        assertThat(limited.tenants()).extracting(DemoTenant::id, DemoTenant::maxConcurrentQueries).containsExactly(
                tuple(DemoTenant.ACME.id(), 1),
                tuple(DemoTenant.GLOBEX.id(), DemoTenant.DEFAULT_CONCURRENCY),
                tuple(DemoTenant.INITECH.id(), DemoTenant.DEFAULT_CONCURRENCY));
        assertThat(limited.withTenantLimits(TenantLimits.DEFAULTS).tenants()).isEqualTo(limited.tenants());
    }

    @Test
    void refusesAConcurrencyTheRegistryWouldRefuse() {
        assertThatThrownBy(() -> settings.withTenantConcurrency(TenantId.of("acme"), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
