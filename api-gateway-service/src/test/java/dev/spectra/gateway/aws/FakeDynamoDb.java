package dev.spectra.gateway.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Just enough DynamoDB for the gateway: GetItem and PutItem on tables with declared keys, and the
 * two conditions the shared table classes use ({@code attribute_not_exists(#name)} and
 * {@code #name = :expected}). Can be told to fail every call.
 */
public final class FakeDynamoDb implements DynamoDbAsyncClient {

    private record ItemKey(String table, Map<String, AttributeValue> key) {}

    private final Map<String, List<String>> keyAttributes = new ConcurrentHashMap<>();
    private final Map<ItemKey, Map<String, AttributeValue>> items = new ConcurrentHashMap<>();
    private final AtomicReference<SdkException> failure = new AtomicReference<>();

    public FakeDynamoDb withTable(String table, String... keyAttributeNames) {
        keyAttributes.put(table, List.of(keyAttributeNames));
        return this;
    }

    public void failWith(SdkException error) {
        failure.set(error);
    }

    public Map<String, AttributeValue> item(String table, Map<String, AttributeValue> key) {
        return items.get(new ItemKey(table, key));
    }

    public void put(String table, Map<String, AttributeValue> item) {
        items.put(keyOf(table, item), Map.copyOf(item));
    }

    @Override
    public CompletableFuture<GetItemResponse> getItem(GetItemRequest request) {
        if (failure.get() != null) {
            return CompletableFuture.failedFuture(failure.get());
        }
        Map<String, AttributeValue> item = items.get(new ItemKey(request.tableName(), Map.copyOf(request.key())));
        GetItemResponse.Builder response = GetItemResponse.builder();
        if (item != null) {
            response.item(item);
        }
        return CompletableFuture.completedFuture(response.build());
    }

    @Override
    public synchronized CompletableFuture<PutItemResponse> putItem(PutItemRequest request) {
        if (failure.get() != null) {
            return CompletableFuture.failedFuture(failure.get());
        }
        ItemKey key = keyOf(request.tableName(), request.item());
        Map<String, AttributeValue> existing = items.get(key);
        if (request.conditionExpression() != null && !conditionHolds(request, existing)) {
            return CompletableFuture.failedFuture(ConditionalCheckFailedException.builder().message("condition failed").build());
        }
        items.put(key, Map.copyOf(request.item()));
        return CompletableFuture.completedFuture(PutItemResponse.builder().build());
    }

    private static boolean conditionHolds(PutItemRequest request, Map<String, AttributeValue> existing) {
        String condition = request.conditionExpression();
        if (condition.startsWith("attribute_not_exists(")) {
            String name = request.expressionAttributeNames().get(condition.substring(21, condition.length() - 1));
            return existing == null || !existing.containsKey(name);
        }
        String[] parts = condition.split(" = ");
        if (parts.length == 2) {
            String name = request.expressionAttributeNames().get(parts[0]);
            AttributeValue expected = request.expressionAttributeValues().get(parts[1]);
            return existing != null && expected.equals(existing.get(name));
        }
        throw new UnsupportedOperationException("condition not supported by the fake: " + condition);
    }

    private ItemKey keyOf(String table, Map<String, AttributeValue> item) {
        List<String> names = keyAttributes.get(table);
        if (names == null) {
            throw new IllegalArgumentException("no such table: " + table);
        }
        Map<String, AttributeValue> key = new HashMap<>();
        names.forEach(name -> key.put(name, item.get(name)));
        return new ItemKey(table, Map.copyOf(key));
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
