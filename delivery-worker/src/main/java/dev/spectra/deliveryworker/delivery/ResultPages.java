package dev.spectra.deliveryworker.delivery;

import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultV2Response;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The pages of one statement's result, fetched lazily so that a reader can stop early. Each page is fetched with
 * retries; the SDK's own paginator is not used because a retry must repeat the same token.
 *
 * @param <P> GetStatementResult's page, or GetStatementResultV2's for a CSV result
 */
final class ResultPages<P> implements Iterator<P> {

    private final String statementId;
    private final RetryingCaller caller;
    private final String operation;
    private final BiFunction<String, String, P> fetch;
    private final Function<P, String> tokenOf;
    private boolean first = true;
    private String nextToken;

    private ResultPages(String statementId, RetryingCaller caller, String operation, BiFunction<String, String, P> fetch,
            Function<P, String> tokenOf) {
        this.statementId = requireNonNull(statementId, "statementId is null");
        this.caller = requireNonNull(caller, "caller is null");
        this.operation = requireNonNull(operation, "operation is null");
        this.fetch = fetch;
        this.tokenOf = tokenOf;
    }

    static ResultPages<GetStatementResultResponse> typed(StatementResults results, String statementId, RetryingCaller caller) {
        return new ResultPages<>(statementId, caller, DeliveryMetrics.GET_STATEMENT_RESULT, results::page, GetStatementResultResponse::nextToken);
    }

    static ResultPages<GetStatementResultV2Response> csv(StatementResults results, String statementId, RetryingCaller caller) {
        return new ResultPages<>(statementId, caller, DeliveryMetrics.GET_STATEMENT_RESULT_V2, results::csvPage,
                GetStatementResultV2Response::nextToken);
    }

    @Override
    public boolean hasNext() {
        return first || nextToken != null;
    }

    @Override
    public P next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no page after the last one of statement " + statementId);
        }
        String token = nextToken;
        P page = caller.callDataApi(operation, () -> fetch.apply(statementId, token));
        first = false;
        String next = tokenOf.apply(page);
        nextToken = next == null || next.isEmpty() ? null : next;
        return page;
    }
}
