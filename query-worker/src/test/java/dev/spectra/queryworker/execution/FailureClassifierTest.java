package dev.spectra.queryworker.execution;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.queryworker.execution.FailureClassifier.Kind;
import dev.spectra.queryworker.session.NoSessionAvailableException;
import dev.spectra.queryworker.testing.FakeWarehouse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveSessionsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.DatabaseConnectionException;
import software.amazon.awssdk.services.redshiftdata.model.InternalServerException;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTest {

    private final FailureClassifier classifier = new FailureClassifier();

    @Test
    void retriesOverloadOutagesAndConnectionFailures() {
        assertThat(kinds(
                FakeWarehouse.throttled(),
                ActiveSessionsExceededException.builder().message("too many sessions").build(),
                InternalServerException.builder().message("oops").statusCode(500).build(),
                DatabaseConnectionException.builder().message("connection lost").statusCode(500).build(),
                ProvisionedThroughputExceededException.builder().message("slow down").build(),
                DynamoDbException.builder().message("unavailable").statusCode(503).build(),
                ApiCallTimeoutException.create(1000),
                new NoSessionAvailableException("too many waiting")))
                .containsOnly(Kind.TRANSIENT);
    }

    @Test
    void failsTheQueryWithTheWarehouseMessageWhenTheSqlIsRejected() {
        FailureClassifier.Failure failure = classifier.classify(
                new CompletionException(FakeWarehouse.validation("column \"regoin\" does not exist")), false);

        assertThat(failure).isEqualTo(new FailureClassifier.Failure(
                Kind.FATAL, ErrorCode.QUERY_FAILED, "column \"regoin\" does not exist"));
    }

    @Test
    void blamesTheSessionOnlyForValidationErrorsAboutASessionItWasSentTo() {
        var refused = FakeWarehouse.validation("Session 5f1c is busy running another statement");

        assertThat(classifier.classify(refused, true).kind()).isEqualTo(Kind.SESSION_REFUSED);
        assertThat(classifier.classify(refused, false).kind()).isEqualTo(Kind.FATAL);
    }

    @Test
    void givesUpOnOtherServiceErrorsAndHidesInternalOnes() {
        var missingCluster = ResourceNotFoundException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorMessage("Cluster spectra not found").build())
                .statusCode(400).build();

        assertThat(classifier.classify(missingCluster, false)).isEqualTo(new FailureClassifier.Failure(
                Kind.FATAL, ErrorCode.WAREHOUSE_UNAVAILABLE, "Cluster spectra not found"));
        assertThat(classifier.classify(new NullPointerException("bug"), false)).isEqualTo(new FailureClassifier.Failure(
                Kind.FATAL, ErrorCode.INTERNAL_ERROR, "internal error"));
    }

    private List<Kind> kinds(Throwable... failures) {
        return Arrays.stream(failures).map(failure -> classifier.classify(failure, false).kind()).toList();
    }
}
