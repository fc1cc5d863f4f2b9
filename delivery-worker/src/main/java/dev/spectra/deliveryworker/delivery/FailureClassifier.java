package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.error.ErrorCode;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.redshiftdata.model.InternalServerException;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one place that decides what an error from a dependency means for the job: transient (retry, then
 * WAREHOUSE_UNAVAILABLE or STORAGE_UNAVAILABLE), the result is gone (QUERY_FAILED), or a fault of ours
 * (INTERNAL_ERROR). Retryable is whatever the resulting {@link ErrorCode} says.
 */
@Component
public class FailureClassifier {

    static final String INTERNAL_ERROR_MESSAGE = "the result could not be delivered because of an internal error";

    public Failure classify(Dependency dependency, Throwable error) {
        if (isTransient(error)) {
            return new Failure(dependency.unavailable(), dependency.description() + " is unavailable: " + reason(error));
        }
        // GetStatementResult answers these when the statement id is unknown or its result has expired.
        if (error instanceof ResourceNotFoundException || error instanceof ValidationException) {
            return new Failure(ErrorCode.QUERY_FAILED,
                    "the statement's result is no longer available in the warehouse (the Data API keeps results "
                            + "for 24 hours): " + reason(error));
        }
        return new Failure(ErrorCode.INTERNAL_ERROR, INTERNAL_ERROR_MESSAGE);
    }

    private static boolean isTransient(Throwable error) {
        return switch (error) {
            case InternalServerException e -> true;
            case InternalServerErrorException e -> true;
            case ProvisionedThroughputExceededException e -> true;
            case RequestLimitExceededException e -> true;
            case SdkServiceException e -> e.isThrottlingException() || e.statusCode() >= 500;
            case ApiCallTimeoutException e -> true;
            case ApiCallAttemptTimeoutException e -> true;
            // Other client exceptions (no credentials, a bad request built by us) will not heal by waiting.
            case SdkClientException e -> causedByIo(e);
            case UncheckedIOException e -> true;
            default -> false;
        };
    }

    private static boolean causedByIo(Throwable error) {
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The service's own message, without the SDK's request-id suffix. */
    private static String reason(Throwable error) {
        if (error instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorMessage() != null) {
            return aws.awsErrorDetails().errorMessage();
        }
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
