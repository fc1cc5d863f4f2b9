package dev.spectra.common.tenant;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.HashMap;
import java.util.Map;

/**
 * The tenant registry's item layout: {@code tenant_id -> database_user, active, max_concurrent_queries,
 * max_result_bytes, max_timeout_seconds}. The last three are optional (a number, absent for the services' default).
 */
public final class TenantTable {

    public static final String DEFAULT_NAME = "spectra-tenants";

    private static final String TENANT_ID = "tenant_id";
    private static final String DATABASE_USER = "database_user";
    private static final String ACTIVE = "active";
    private static final String MAX_CONCURRENT_QUERIES = "max_concurrent_queries";
    private static final String MAX_RESULT_BYTES = "max_result_bytes";
    private static final String MAX_TIMEOUT_SECONDS = "max_timeout_seconds";

    private TenantTable() {}

    public static GetItemRequest get(String table, TenantId id) {
        return GetItemRequest.builder().tableName(table).key(Map.of(TENANT_ID, AttributeValue.fromS(id.value()))).build();
    }

    public static PutItemRequest put(String table, Tenant tenant) {
        return PutItemRequest.builder().tableName(table).item(toItem(tenant)).build();
    }

    public static Map<String, AttributeValue> toItem(Tenant tenant) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TENANT_ID, AttributeValue.fromS(tenant.id().value()));
        item.put(DATABASE_USER, AttributeValue.fromS(tenant.databaseUser()));
        item.put(ACTIVE, AttributeValue.fromBool(tenant.active()));
        if (tenant.maxConcurrentQueries() != null) {
            item.put(MAX_CONCURRENT_QUERIES, AttributeValue.fromN(tenant.maxConcurrentQueries().toString()));
        }
        if (tenant.maxResultBytes() != null) {
            item.put(MAX_RESULT_BYTES, AttributeValue.fromN(tenant.maxResultBytes().toString()));
        }
        if (tenant.maxTimeoutSeconds() != null) {
            item.put(MAX_TIMEOUT_SECONDS, AttributeValue.fromN(tenant.maxTimeoutSeconds().toString()));
        }
        return item;
    }

    public static Tenant fromItem(Map<String, AttributeValue> item) {
        return new Tenant(
                TenantId.of(item.get(TENANT_ID).s()),
                item.get(DATABASE_USER).s(),
                item.containsKey(ACTIVE) && item.get(ACTIVE).bool(),
                item.containsKey(MAX_CONCURRENT_QUERIES) ? Integer.valueOf(item.get(MAX_CONCURRENT_QUERIES).n()) : null,
                item.containsKey(MAX_RESULT_BYTES) ? Long.valueOf(item.get(MAX_RESULT_BYTES).n()) : null,
                item.containsKey(MAX_TIMEOUT_SECONDS) ? Integer.valueOf(item.get(MAX_TIMEOUT_SECONDS).n()) : null);
    }

    public static CreateTableRequest createTable(String table) {
        return CreateTableRequest.builder()
                .tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(TENANT_ID).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(TENANT_ID).keyType(KeyType.HASH).build())
                .build();
    }
}
