package dev.spectra.queryworker.execution;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.queryworker.session.NoSessionAvailableException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveSessionsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveWaitingRequestsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.DatabaseConnectionException;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementException;
import software.amazon.awssdk.services.redshiftdata.model.InternalServerException;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * The one place that decides what a failed AWS call means: retry it, retry on a fresh session, or give up
 * with which error code. Everything else only acts on the verdict.
 */
public final class FailureClassifier {

    public enum Kind {
        /** The warehouse refused the session a statement was sent to (busy, expired, closed). */
        SESSION_REFUSED,
        /** Overload or an outage that may pass: retry with backoff. */
        TRANSIENT,
        /** Retrying cannot help. */
        FATAL
    }

    /**
     * @param code    the code a job that ends on this failure carries
     * @param message what the job's caller is told; the warehouse's own words where it gave any
     */
    public record Failure(Kind kind, ErrorCode code, String message) {
        public Failure {
            requireNonNull(kind, "kind is null");
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
        }

        public boolean isTransient() {
            return kind == Kind.TRANSIENT;
        }
    }

    /**
     * @param onSession whether the failed call was an ExecuteStatement on a warm session: only then does a
     *                  ValidationException about "the session" mean the session, not the statement
     */
    public Failure classify(Throwable failure, boolean onSession) {
        Throwable cause = unwrap(failure);
        return switch (cause) {
            case NoSessionAvailableException e -> transientFailure(e.getMessage());
            case ValidationException e when onSession && mentionsSession(e) ->
                    new Failure(Kind.SESSION_REFUSED, ErrorCode.WAREHOUSE_UNAVAILABLE, warehouseMessage(e));
            case ValidationException e -> new Failure(Kind.FATAL, ErrorCode.QUERY_FAILED, warehouseMessage(e));
            case ExecuteStatementException e -> new Failure(Kind.FATAL, ErrorCode.QUERY_FAILED, warehouseMessage(e));
            case ActiveStatementsExceededException e -> transientFailure(warehouseMessage(e));
            case ActiveSessionsExceededException e -> transientFailure(warehouseMessage(e));
            case ActiveWaitingRequestsExceededException e -> transientFailure(warehouseMessage(e));
            case InternalServerException e -> transientFailure(warehouseMessage(e));
            case DatabaseConnectionException e -> transientFailure(warehouseMessage(e));
            case ProvisionedThroughputExceededException e -> transientFailure(warehouseMessage(e));
            case RequestLimitExceededException e -> transientFailure(warehouseMessage(e));
            case AwsServiceException e when e.isThrottlingException() || e.statusCode() >= 500 ->
                    transientFailure(warehouseMessage(e));
            case AwsServiceException e -> new Failure(Kind.FATAL, ErrorCode.WAREHOUSE_UNAVAILABLE, warehouseMessage(e));
            // Connection failures, timeouts and the like, raised by the SDK client itself.
            case SdkClientException e -> transientFailure("the service could not be reached");
            default -> new Failure(Kind.FATAL, ErrorCode.INTERNAL_ERROR, "internal error");
        };
    }

    /** Whether a call that failed this way is worth repeating (used for the job table and describe calls). */
    public boolean isTransient(Throwable failure) {
        return classify(failure, false).isTransient();
    }

    private static Failure transientFailure(String message) {
        return new Failure(Kind.TRANSIENT, ErrorCode.WAREHOUSE_UNAVAILABLE, message);
    }

    private static boolean mentionsSession(AwsServiceException e) {
        return warehouseMessage(e).toLowerCase(Locale.ROOT).contains("session");
    }

    /** The service's message without the SDK's request-id decoration. */
    private static String warehouseMessage(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        if (details != null && details.errorMessage() != null && !details.errorMessage().isBlank()) {
            return details.errorMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = requireNonNull(failure, "failure is null");
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
