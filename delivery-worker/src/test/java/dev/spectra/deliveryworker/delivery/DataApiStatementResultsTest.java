package dev.spectra.deliveryworker.delivery;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultRequest;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DataApiStatementResultsTest {

    @Test
    void asksForPageByStatementIdAndNextToken() {
        List<GetStatementResultRequest> requests = new ArrayList<>();
        RedshiftDataClient client = new RedshiftDataClient() {
            @Override
            public GetStatementResultResponse getStatementResult(GetStatementResultRequest request) {
                requests.add(request);
                return GetStatementResultResponse.builder().build();
            }

            @Override
            public String serviceName() {
                return SERVICE_NAME;
            }

            @Override
            public void close() {}
        };
        DataApiStatementResults results = new DataApiStatementResults(client);

        results.page("stmt-1", null);
        results.page("stmt-1", "token-1");

        assertThat(requests).containsExactly(
                GetStatementResultRequest.builder().id("stmt-1").build(),
                GetStatementResultRequest.builder().id("stmt-1").nextToken("token-1").build());
    }
}
