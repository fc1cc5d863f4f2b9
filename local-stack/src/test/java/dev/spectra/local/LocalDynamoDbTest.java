package dev.spectra.local;

import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LocalDynamoDbTest {

    @Test
    void provisionsTheJobTableWithTtlAndTheTenantRegistry() {
        Path root = TestRepository.root();
        try (LocalDynamoDb dynamoDb = LocalDynamoDb.start(root.resolve("local-stack/target/runtime/native"), DemoTenant.ALL);
             DynamoDbClient client = LocalAws.dynamoDb(dynamoDb.endpoint())) {

            assertThat(client.listTables().tableNames()).contains(JobTable.DEFAULT_NAME, TenantTable.DEFAULT_NAME);
            assertThat(client.describeTimeToLive(request -> request.tableName(JobTable.DEFAULT_NAME))
                    .timeToLiveDescription().attributeName()).isEqualTo(JobTable.EXPIRES_AT);
            Tenant initech = TenantTable.fromItem(client.getItem(TenantTable.get(TenantTable.DEFAULT_NAME, DemoTenant.INITECH.id())).item());
            assertThat(initech.active()).isFalse();
            Tenant acme = TenantTable.fromItem(client.getItem(TenantTable.get(TenantTable.DEFAULT_NAME, DemoTenant.ACME.id())).item());
            assertThat(acme).isEqualTo(DemoTenant.ACME.registryEntry());
        }
    }
}
