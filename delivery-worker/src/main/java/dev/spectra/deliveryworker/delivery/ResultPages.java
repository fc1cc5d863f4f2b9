package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.aws.Dependency;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;

import java.util.Iterator;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * The pages of one statement's result, fetched lazily so that a reader can stop early. Each page is
 * fetched with retries; the SDK's own paginator is not used because a retry must repeat the same token.
 */
final class ResultPages implements Iterator<GetStatementResultResponse> {

    private final StatementResults results;
    private final String statementId;
    private final RetryingCaller caller;
    private boolean first = true;
    private String nextToken;
    private int fetched;

    ResultPages(StatementResults results, String statementId, RetryingCaller caller) {
        this.results = requireNonNull(results, "results is null");
        this.statementId = requireNonNull(statementId, "statementId is null");
        this.caller = requireNonNull(caller, "caller is null");
    }

    @Override
    public boolean hasNext() {
        return first || nextToken != null;
    }

    @Override
    public GetStatementResultResponse next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no page after the last one of statement " + statementId);
        }
        String token = nextToken;
        GetStatementResultResponse page = caller.call(Dependency.WAREHOUSE, () -> results.page(statementId, token));
        first = false;
        nextToken = page.nextToken() == null || page.nextToken().isEmpty() ? null : page.nextToken();
        fetched++;
        return page;
    }

    int fetched() {
        return fetched;
    }
}
