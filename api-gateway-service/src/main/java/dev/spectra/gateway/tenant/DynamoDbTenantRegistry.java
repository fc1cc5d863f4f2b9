package dev.spectra.gateway.tenant;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.common.tenant.TenantTable;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import static java.util.Objects.requireNonNull;

/** The tenant registry in DynamoDB ({@code spectra-tenants}), read with the async client. */
public final class DynamoDbTenantRegistry implements TenantRegistry {

    private final DynamoDbAsyncClient dynamoDb;
    private final String table;

    public DynamoDbTenantRegistry(DynamoDbAsyncClient dynamoDb, String table) {
        this.dynamoDb = requireNonNull(dynamoDb, "dynamoDb is null");
        this.table = requireNonNull(table, "table is null");
    }

    @Override
    public Mono<Tenant> find(TenantId id) {
        return Mono.fromFuture(() -> dynamoDb.getItem(TenantTable.get(table, id)))
                .filter(GetItemResponse::hasItem)
                .map(response -> TenantTable.fromItem(response.item()));
    }
}
