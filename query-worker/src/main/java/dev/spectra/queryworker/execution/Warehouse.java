package dev.spectra.queryworker.execution;

import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * The three Data API operations the worker needs. It speaks the SDK's own request, response and exception
 * types, so that test fakes exercise the same request building and error classification as production.
 */
public interface Warehouse {

    ExecuteStatementResponse executeStatement(ExecuteStatementRequest request);

    DescribeStatementResponse describeStatement(String statementId);

    /**
     * DescribeStatement with long polling ({@code WaitTimeSeconds}): answers as soon as the statement ended,
     * or once {@code waitUpTo} (whole seconds, 1 to 30) has passed with the statement still running.
     */
    DescribeStatementResponse describeStatement(String statementId, Duration waitUpTo);

    void cancelStatement(String statementId);

    /**
     * The newest statement started with this statement name, if the warehouse still knows one. A worker that
     * takes a job over asks this before starting the job's statement: the worker that held the job may have
     * started it on a session this worker cannot repeat the request on.
     */
    Optional<String> findStatement(String statementName);
}
