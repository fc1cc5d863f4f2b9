package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
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
                TenantLimits.DEFAULTS, Map.of(), 3, Map.of(), Map.of(), Map.of()));
        assertThat(three.withTenantLimits(TenantLimits.DEFAULTS).kafkaBrokers()).isEqualTo(3);
        assertThat(three.withTenantConcurrency(DemoTenant.ACME.id(), 2).kafkaBrokers()).isEqualTo(3);
    }

    @Test
    void refusesAStackWithoutABroker() {
        assertThatThrownBy(() -> DEFAULTS.withKafkaBrokers(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafkaBrokers");
    }

    @Test
    void aTenantsMaxResultBytesReachesOnlyThatTenantsRegistryEntry() {
        LocalStackSettings limited = DEFAULTS.withTenantMaxResultBytes(DemoTenant.GLOBEX.id(), 100_000);

        assertThat(limited.tenants()).filteredOn(tenant -> tenant.id().equals(DemoTenant.GLOBEX.id()))
                .extracting(DemoTenant::maxResultBytes).containsExactly(100_000L);
        assertThat(limited.tenants()).filteredOn(tenant -> !tenant.id().equals(DemoTenant.GLOBEX.id()))
                .extracting(DemoTenant::maxResultBytes).containsOnlyNulls();
    }

    @Test
    void serviceOptionsAndPropertiesAccumulatePerModuleAndRefuseAnUnknownModuleOrAPropertyWithoutValue() {
        LocalStackSettings tuned = DEFAULTS.withServiceJvmOptions("delivery-worker", "-Xmx256m")
                .withServiceProperties("delivery-worker", "spectra.delivery.inline-max-bytes=1MB")
                .withServiceProperties("delivery-worker", "spectra.delivery.file-max-bytes=8MB");

        assertThat(tuned.serviceJvmOptions()).containsExactly(Map.entry("delivery-worker", List.of("-Xmx256m")));
        assertThat(tuned.serviceProperties().get("delivery-worker"))
                .containsExactly("spectra.delivery.inline-max-bytes=1MB", "spectra.delivery.file-max-bytes=8MB");
        assertThatThrownBy(() -> DEFAULTS.withServiceJvmOptions("no-such-worker", "-Xmx1g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DEFAULTS.withServiceProperties("query-worker", "spectra.results.max-file-size"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
