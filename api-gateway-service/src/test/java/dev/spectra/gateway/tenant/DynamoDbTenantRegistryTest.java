package dev.spectra.gateway.tenant;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.common.tenant.TenantTable;
import dev.spectra.gateway.aws.FakeDynamoDb;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import software.amazon.awssdk.core.exception.SdkClientException;

class DynamoDbTenantRegistryTest {

    private static final String TABLE = "spectra-tenants";

    private final FakeDynamoDb dynamoDb = new FakeDynamoDb().withTable(TABLE, "tenant_id");
    private final DynamoDbTenantRegistry registry = new DynamoDbTenantRegistry(dynamoDb, TABLE);

    @Test
    void findsARegisteredTenant() {
        Tenant acme = new Tenant(TenantId.of("acme"), "tenant_acme", true);
        dynamoDb.put(TABLE, TenantTable.toItem(acme));

        StepVerifier.create(registry.find(acme.id())).expectNext(acme).verifyComplete();
    }

    @Test
    void findsNothingForAnUnknownTenant() {
        StepVerifier.create(registry.find(TenantId.of("unknown-co"))).verifyComplete();
    }

    @Test
    void passesOnRegistryFailures() {
        dynamoDb.failWith(SdkClientException.create("unreachable"));

        StepVerifier.create(registry.find(TenantId.of("acme"))).expectError(SdkClientException.class).verify();
    }
}
