package dev.spectra.local;

import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalDynamoDbTest {

    @Test
    void provisionsTheJobTableWithTtlAndTheTenantRegistry() {
        Path root = TestRepository.root();
        TenantProvisioning provisioning = TenantProvisioning.generate(DemoTenant.ALL, TenantLimits.DEFAULTS);
        List<Tenant> registry = provisioning.tenants().stream().map(ProvisionedTenant::registryEntry).toList();
        try (LocalDynamoDb dynamoDb = LocalDynamoDb.start(root.resolve("local-stack/target/runtime/native"), registry);
             DynamoDbClient client = LocalAws.dynamoDb(dynamoDb.endpoint())) {

            assertThat(client.listTables().tableNames()).contains(JobTable.DEFAULT_NAME, TenantTable.DEFAULT_NAME);
            assertThat(client.describeTimeToLive(request -> request.tableName(JobTable.DEFAULT_NAME))
                    .timeToLiveDescription().attributeName()).isEqualTo(JobTable.EXPIRES_AT);
            Tenant initech = TenantTable.fromItem(client.getItem(TenantTable.get(TenantTable.DEFAULT_NAME, DemoTenant.INITECH.id())).item());
            assertThat(initech.active()).isFalse();
            Tenant acme = TenantTable.fromItem(client.getItem(TenantTable.get(TenantTable.DEFAULT_NAME, DemoTenant.ACME.id())).item());
            assertThat(acme).isEqualTo(provisioning.tenant(DemoTenant.ACME.id()).registryEntry());
            assertThat(acme.databaseUser()).doesNotContain("acme").matches("u[0-9a-f]{24}");
            assertThat(acme.maxConcurrentQueries()).isEqualTo(DemoTenant.DEFAULT_CONCURRENCY);
        }
    }
}
