package dev.spectra.deliveryworker.delivery;

import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultV2Response;
import software.amazon.awssdk.services.redshiftdata.model.QueryRecords;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Data API's GetStatementResult in memory: pages chained by {@code nextToken}, an unknown statement
 * answered like the real service (ResourceNotFoundException), and failures scripted per page. A statement run with
 * {@code ResultFormat: CSV} is read with GetStatementResultV2 only, as the service allows.
 */
public final class FakeStatementResults implements StatementResults {

    /** One GetStatementResult call: the token is null for the first page. */
    public record Request(String statementId, String nextToken) {}

    private record Key(String statementId, String nextToken) {}

    private static final String TOKEN_PREFIX = "token-";

    private final Map<String, List<GetStatementResultResponse>> results = new HashMap<>();
    private final Map<String, List<GetStatementResultV2Response>> csvResults = new HashMap<>();
    private final Map<Key, Deque<Supplier<RuntimeException>>> failures = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();

    public static ColumnMetadata column(String name, String typeName) {
        return ColumnMetadata.builder().name(name).typeName(typeName).build();
    }

    public static List<Field> row(Field... fields) {
        return List.of(fields);
    }

    @SafeVarargs
    public static List<List<Field>> page(List<Field>... rows) {
        return List.of(rows);
    }

    /** A statement whose result has these columns and pages; every page carries the column metadata. */
    @SafeVarargs
    public final synchronized FakeStatementResults add(String statementId, List<ColumnMetadata> columns, List<List<Field>>... pages) {
        long total = Arrays.stream(pages).mapToLong(List::size).sum();
        List<GetStatementResultResponse> responses = new ArrayList<>();
        for (int i = 0; i < pages.length; i++) {
            responses.add(GetStatementResultResponse.builder()
                    .columnMetadata(columns)
                    .records(pages[i])
                    .totalNumRows(total)
                    .nextToken(i + 1 < pages.length ? tokenOfPage(i + 1) : null)
                    .build());
        }
        results.put(statementId, responses);
        return this;
    }

    /** A statement run with ResultFormat CSV: each page one piece of CSV text (the header on the first, as the service sends it). */
    public synchronized FakeStatementResults addCsv(String statementId, List<ColumnMetadata> columns, String... pages) {
        List<GetStatementResultV2Response> responses = new ArrayList<>();
        for (int i = 0; i < pages.length; i++) {
            responses.add(GetStatementResultV2Response.builder()
                    .columnMetadata(columns)
                    .records(List.of(QueryRecords.fromCsvRecords(pages[i])))
                    .resultFormat("CSV")
                    .nextToken(i + 1 < pages.length ? tokenOfPage(i + 1) : null)
                    .build());
        }
        csvResults.put(statementId, responses);
        return this;
    }

    /** The token that asks for page {@code index} (0-based); the first page is asked for without one. */
    public static String tokenOfPage(int index) {
        return index == 0 ? null : TOKEN_PREFIX + index;
    }

    /** The next {@code times} requests for this page fail. */
    public synchronized FakeStatementResults failPage(String statementId, int index, int times, Supplier<RuntimeException> failure) {
        Deque<Supplier<RuntimeException>> scripted = failures.computeIfAbsent(new Key(statementId, tokenOfPage(index)), k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            scripted.add(failure);
        }
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public synchronized GetStatementResultResponse page(String statementId, String nextToken) {
        requests.add(new Request(statementId, nextToken));
        Deque<Supplier<RuntimeException>> scripted = failures.get(new Key(statementId, nextToken));
        if (scripted != null && !scripted.isEmpty()) {
            throw scripted.poll().get();
        }
        List<GetStatementResultResponse> pages = results.get(statementId);
        if (pages == null) {
            // With the error code the service sends: the shared classifier goes by it, not by the exception type.
            throw AwsErrors.resultsGone();
        }
        return pages.get(nextToken == null ? 0 : Integer.parseInt(nextToken.substring(TOKEN_PREFIX.length())));
    }

    @Override
    public synchronized GetStatementResultV2Response csvPage(String statementId, String nextToken) {
        requests.add(new Request(statementId, nextToken));
        List<GetStatementResultV2Response> pages = csvResults.get(statementId);
        if (pages == null) {
            throw AwsErrors.resultsGone();
        }
        return pages.get(nextToken == null ? 0 : Integer.parseInt(nextToken.substring(TOKEN_PREFIX.length())));
    }
}
