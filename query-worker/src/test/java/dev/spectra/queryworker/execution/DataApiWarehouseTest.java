package dev.spectra.queryworker.execution;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.CancelStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.CancelStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DataApiWarehouseTest {

    private final RecordingDataApi dataApi = new RecordingDataApi();
    private final DataApiWarehouse warehouse = new DataApiWarehouse(dataApi);

    @Test
    void passesRequestsToTheDataApiUnchanged() {
        ExecuteStatementRequest execute = ExecuteStatementRequest.builder().sessionId("session-1").sql("SELECT 1").build();

        assertThat(warehouse.executeStatement(execute).id()).isEqualTo("statement-1");
        assertThat(warehouse.describeStatement("statement-1").status()).isEqualTo(StatusString.STARTED);
        warehouse.cancelStatement("statement-1");

        assertThat(dataApi.requests).containsExactly(
                execute,
                DescribeStatementRequest.builder().id("statement-1").build(),
                CancelStatementRequest.builder().id("statement-1").build());
    }

    private static final class RecordingDataApi implements RedshiftDataClient {
        final List<Object> requests = new ArrayList<>();

        @Override
        public ExecuteStatementResponse executeStatement(ExecuteStatementRequest request) {
            requests.add(request);
            return ExecuteStatementResponse.builder().id("statement-1").build();
        }

        @Override
        public DescribeStatementResponse describeStatement(DescribeStatementRequest request) {
            requests.add(request);
            return DescribeStatementResponse.builder().id(request.id()).status(StatusString.STARTED).build();
        }

        @Override
        public CancelStatementResponse cancelStatement(CancelStatementRequest request) {
            requests.add(request);
            return CancelStatementResponse.builder().status(true).build();
        }

        @Override
        public String serviceName() {
            return "redshift-data";
        }

        @Override
        public void close() {
        }
    }
}
