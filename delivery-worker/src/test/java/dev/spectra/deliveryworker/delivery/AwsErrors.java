package dev.spectra.deliveryworker.delivery;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.redshiftdata.model.InternalServerException;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

import java.net.SocketTimeoutException;

/** SDK exceptions shaped as the services and the SDK raise them. */
public final class AwsErrors {

    private AwsErrors() {}

    public static RedshiftDataException dataApiThrottled() {
        return (RedshiftDataException) RedshiftDataException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build())
                .statusCode(400)
                .build();
    }

    public static InternalServerException dataApiInternalError() {
        return (InternalServerException) InternalServerException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerException").errorMessage("The server encountered an internal error").build())
                .statusCode(500)
                .build();
    }

    public static ResourceNotFoundException resultsGone() {
        return (ResourceNotFoundException) ResourceNotFoundException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").errorMessage("Query does not exist.").build())
                .statusCode(400)
                .build();
    }

    public static ValidationException resultsExpired() {
        return (ValidationException) ValidationException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").errorMessage("Query results have expired.").build())
                .statusCode(400)
                .build();
    }

    public static RedshiftDataException dataApiAccessDenied() {
        return (RedshiftDataException) RedshiftDataException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").errorMessage("not authorized").build())
                .statusCode(403)
                .build();
    }

    public static ProvisionedThroughputExceededException dynamoDbThrottled() {
        return (ProvisionedThroughputExceededException) ProvisionedThroughputExceededException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").errorMessage("Throughput exceeds the current capacity").build())
                .statusCode(400)
                .build();
    }

    public static SdkClientException connectionTimedOut() {
        return SdkClientException.builder().message("Unable to execute HTTP request: Read timed out")
                .cause(new SocketTimeoutException("Read timed out")).build();
    }
}
