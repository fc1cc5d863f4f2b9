package dev.spectra.deliveryworker.delivery;

import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;

/** Reads a finished statement's result from the Data API, one page per call. */
public interface StatementResults {

    /**
     * One page of GetStatementResult.
     *
     * @param nextToken null for the first page, then the previous page's {@code nextToken}
     */
    GetStatementResultResponse page(String statementId, String nextToken);
}
