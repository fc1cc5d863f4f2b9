package dev.spectra.common.tenant;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantTest {

    private static final TenantId ACME = TenantId.of("acme");

    @Test
    void concurrencyRoundTripsThroughTheRegistryItem() {
        Tenant tenant = new Tenant(ACME, "acme_user", true, 3);

        assertThat(TenantTable.toItem(tenant)).containsEntry("max_concurrent_queries", AttributeValue.fromN("3"));
        assertThat(TenantTable.fromItem(TenantTable.toItem(tenant))).isEqualTo(tenant);
    }

    @Test
    void anItemWithoutConcurrencyReadsAsTheWorkersDefault() {
        Tenant tenant = new Tenant(ACME, "acme_user", true);

        assertThat(TenantTable.toItem(tenant)).doesNotContainKey("max_concurrent_queries");
        assertThat(TenantTable.fromItem(TenantTable.toItem(tenant)).maxConcurrentQueries()).isNull();
    }

    @Test
    void refusesAConcurrencyBelowOneOrAboveTheMaximum() {
        assertThatThrownBy(() -> new Tenant(ACME, "acme_user", true, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tenant(ACME, "acme_user", true, Tenant.MAX_CONCURRENT_QUERIES + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Tenant(ACME, "acme_user", true, Tenant.MAX_CONCURRENT_QUERIES).maxConcurrentQueries())
                .isEqualTo(Tenant.MAX_CONCURRENT_QUERIES);
    }

    @Test
    void aRegistryItemWithAnImpossibleConcurrencyIsRefused() {
        var item = new HashMap<>(TenantTable.toItem(new Tenant(ACME, "acme_user", true)));
        item.put("max_concurrent_queries", AttributeValue.fromN("0"));

        assertThatThrownBy(() -> TenantTable.fromItem(item)).isInstanceOf(IllegalArgumentException.class);
    }
}
