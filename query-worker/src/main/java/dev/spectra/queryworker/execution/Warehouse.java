package dev.spectra.queryworker.execution;

import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;

/**
 * The three Data API operations the worker needs. It speaks the SDK's own request, response and exception
 * types, so that test fakes exercise the same request building and error classification as production.
 */
public interface Warehouse {

    ExecuteStatementResponse executeStatement(ExecuteStatementRequest request);

    DescribeStatementResponse describeStatement(String statementId);

    void cancelStatement(String statementId);
}
