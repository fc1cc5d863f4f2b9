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

import java.util.Map;

/** The tenant registry's item layout: {@code tenant_id -> database_user, active}. */
public final class TenantTable {

    public static final String DEFAULT_NAME = "spectra-tenants";

    private static final String TENANT_ID = "tenant_id";
    private static final String DATABASE_USER = "database_user";
    private static final String ACTIVE = "active";

    private TenantTable() {}

    public static GetItemRequest get(String table, TenantId id) {
        return GetItemRequest.builder().tableName(table).key(Map.of(TENANT_ID, AttributeValue.fromS(id.value()))).build();
    }

    public static PutItemRequest put(String table, Tenant tenant) {
        return PutItemRequest.builder().tableName(table).item(toItem(tenant)).build();
    }

    public static Map<String, AttributeValue> toItem(Tenant tenant) {
        return Map.of(
                TENANT_ID, AttributeValue.fromS(tenant.id().value()),
                DATABASE_USER, AttributeValue.fromS(tenant.databaseUser()),
                ACTIVE, AttributeValue.fromBool(tenant.active()));
    }

    public static Tenant fromItem(Map<String, AttributeValue> item) {
        return new Tenant(
                TenantId.of(item.get(TENANT_ID).s()),
                item.get(DATABASE_USER).s(),
                item.containsKey(ACTIVE) && item.get(ACTIVE).bool());
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
