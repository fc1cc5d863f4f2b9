package dev.spectra.deliveryworker.delivery;

import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultRequest;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultV2Request;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultV2Response;

/** {@link StatementResults} on the real Data API client. */
@Component
public class DataApiStatementResults implements StatementResults {

    private final RedshiftDataClient client;

    public DataApiStatementResults(RedshiftDataClient client) {
        this.client = client;
    }

    @Override
    public GetStatementResultResponse page(String statementId, String nextToken) {
        return client.getStatementResult(GetStatementResultRequest.builder().id(statementId).nextToken(nextToken).build());
    }

    @Override
    public GetStatementResultV2Response csvPage(String statementId, String nextToken) {
        return client.getStatementResultV2(GetStatementResultV2Request.builder().id(statementId).nextToken(nextToken).build());
    }
}
