package dev.spectra.deliveryworker.delivery;

import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultV2Response;

/** Reads a finished statement's result from the Data API, one page per call. */
public interface StatementResults {

    /**
     * One page of GetStatementResult.
     *
     * @param nextToken null for the first page, then the previous page's {@code nextToken}
     */
    GetStatementResultResponse page(String statementId, String nextToken);

    /** One page of GetStatementResultV2, for a statement run with {@code ResultFormat: CSV}. */
    default GetStatementResultV2Response csvPage(String statementId, String nextToken) {
        throw new UnsupportedOperationException("CSV results are not read here");
    }
}
