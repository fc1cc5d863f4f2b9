package dev.spectra.queryworker.execution;

import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The warehouse through the real Redshift Data API client. */
public final class DataApiWarehouse implements Warehouse {

    private final RedshiftDataClient dataApi;

    public DataApiWarehouse(RedshiftDataClient dataApi) {
        this.dataApi = requireNonNull(dataApi, "dataApi is null");
    }

    @Override
    public ExecuteStatementResponse executeStatement(ExecuteStatementRequest request) {
        return dataApi.executeStatement(request);
    }

    @Override
    public DescribeStatementResponse describeStatement(String statementId) {
        return dataApi.describeStatement(request -> request.id(statementId));
    }

    @Override
    public DescribeStatementResponse describeStatement(String statementId, Duration waitUpTo) {
        int seconds = Math.toIntExact(waitUpTo.toSeconds());
        return dataApi.describeStatement(request -> request.id(statementId).waitTimeSeconds(seconds));
    }

    @Override
    public void cancelStatement(String statementId) {
        dataApi.cancelStatement(request -> request.id(statementId));
    }

    @Override
    public Optional<String> findStatement(String statementName) {
        return dataApi.listStatements(request -> request.statementName(statementName).status(StatusString.ALL).maxResults(10))
                .statements().stream()
                .filter(statement -> statementName.equals(statement.statementName()))
                .max(Comparator.comparing(StatementData::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(StatementData::id);
    }
}
