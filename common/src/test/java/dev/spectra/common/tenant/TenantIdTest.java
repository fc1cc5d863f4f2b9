package dev.spectra.common.tenant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantIdTest {

    @Test
    void acceptsLowerCaseNamesWithDashes() {
        assertThat(TenantId.of("acme").value()).isEqualTo("acme");
        assertThat(TenantId.isValid("north-wind-2")).isTrue();
    }

    @Test
    void refusesAnythingThatCouldEscapeAKeyOrPath() {
        assertThat(TenantId.isValid(null)).isFalse();
        assertThat(TenantId.isValid("")).isFalse();
        assertThat(TenantId.isValid("Acme")).isFalse();
        assertThat(TenantId.isValid("acme/../globex")).isFalse();
        assertThat(TenantId.isValid("-acme")).isFalse();
        assertThat(TenantId.isValid("a".repeat(64))).isFalse();
        assertThatThrownBy(() -> TenantId.of("acme globex")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tenantRoundTripsThroughItsItem() {
        Tenant tenant = new Tenant(TenantId.of("acme"), "acme_user", true);

        assertThat(TenantTable.fromItem(TenantTable.toItem(tenant))).isEqualTo(tenant);
    }
}
