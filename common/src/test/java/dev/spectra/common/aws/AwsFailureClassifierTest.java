package dev.spectra.common.aws;

import dev.spectra.common.aws.Verdict.Kind;
import dev.spectra.common.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.NonRetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static dev.spectra.common.aws.Dependency.STORAGE;
import static dev.spectra.common.aws.Dependency.WAREHOUSE;
import static dev.spectra.common.error.ErrorCode.INTERNAL_ERROR;
import static dev.spectra.common.error.ErrorCode.QUERY_FAILED;
import static dev.spectra.common.error.ErrorCode.STORAGE_UNAVAILABLE;
import static dev.spectra.common.error.ErrorCode.WAREHOUSE_UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class AwsFailureClassifierTest {

    private final AwsFailureClassifier classifier = new AwsFailureClassifier();

    @ParameterizedTest
    @ValueSource(strings = {"ThrottlingException", "ActiveStatementsExceededException", "ActiveSessionsExceededException",
            "ActiveWaitingRequestsExceededException"})
    void warehouseLimitsAreThrottling(String errorCode) {
        Verdict verdict = classifier.classify(serviceError(errorCode, "Limit reached", 400), WAREHOUSE);

        assertThat(verdict).isEqualTo(new Verdict(Kind.THROTTLED, WAREHOUSE_UNAVAILABLE, "Limit reached"));
        assertThat(verdict.isRetryable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ProvisionedThroughputExceededException", "RequestLimitExceeded", "ThrottlingException"})
    void jobStoreCapacityLimitsAreThrottling(String errorCode) {
        assertThat(classifier.classify(serviceError(errorCode, "Throughput exceeds the current capacity", 400), STORAGE))
                .isEqualTo(new Verdict(Kind.THROTTLED, STORAGE_UNAVAILABLE, "Throughput exceeds the current capacity"));
    }

    @Test
    void dynamoDbsOwnExceptionTypesAreThrottling() {
        var throughput = ProvisionedThroughputExceededException.builder()
                .awsErrorDetails(details("ProvisionedThroughputExceededException", "Rate of requests exceeds the allowed throughput"))
                .statusCode(400).build();
        var requestLimit = RequestLimitExceededException.builder()
                .awsErrorDetails(details("RequestLimitExceeded", "Throughput exceeds the account limit")).statusCode(400).build();

        assertThat(classifier.classify(throughput, STORAGE).kind()).isEqualTo(Kind.THROTTLED);
        assertThat(classifier.classify(requestLimit, STORAGE).kind()).isEqualTo(Kind.THROTTLED);
    }

    @Test
    void tooManyRequestsStatusIsThrottlingWhateverTheCode() {
        assertThat(classifier.classify(serviceError("SomethingNew", "slow down", 429), WAREHOUSE).kind()).isEqualTo(Kind.THROTTLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"InternalServerException", "DatabaseConnectionException", "QueryTimeoutException"})
    void warehouseOutagesAreTransient(String errorCode) {
        assertThat(classifier.classify(serviceError(errorCode, "The server encountered an internal error", 500), WAREHOUSE))
                .isEqualTo(new Verdict(Kind.TRANSIENT, WAREHOUSE_UNAVAILABLE, "The server encountered an internal error"));
    }

    @Test
    void databaseConnectionFailureIsTransientEvenWithClientErrorStatus() {
        assertThat(classifier.classify(serviceError("DatabaseConnectionException", "Connection refused", 400), WAREHOUSE).kind())
                .isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void anyServerErrorStatusIsTransient() {
        Verdict verdict = classifier.classify(serviceError("InternalServerError", "Internal server error", 500), STORAGE);

        assertThat(verdict).isEqualTo(new Verdict(Kind.TRANSIENT, STORAGE_UNAVAILABLE, "Internal server error"));
        assertThat(classifier.classify(serviceError("Unheard", "bad gateway", 502), STORAGE).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ValidationException", "ExecuteStatementException", "BatchExecuteStatementException", "ResourceNotFoundException"})
    void statementFailuresFromTheWarehouseFailTheQuery(String errorCode) {
        Verdict verdict = classifier.classify(serviceError(errorCode, "ERROR: relation \"orders\" does not exist", 400), WAREHOUSE);

        assertThat(verdict).isEqualTo(new Verdict(Kind.FATAL, QUERY_FAILED, "ERROR: relation \"orders\" does not exist"));
        assertThat(verdict.isRetryable()).isFalse();
        assertThat(verdict.toJobError().retryable()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ValidationException", "ResourceNotFoundException"})
    void theSameCodesFromTheJobStoreAreOurFault(String errorCode) {
        assertThat(classifier.classify(serviceError(errorCode, "Requested resource not found", 400), STORAGE))
                .isEqualTo(new Verdict(Kind.FATAL, INTERNAL_ERROR, "Requested resource not found"));
    }

    @Test
    void accessDeniedIsOurFaultAndNotRetried() {
        assertThat(classifier.classify(serviceError("AccessDeniedException", "not authorized", 403), WAREHOUSE))
                .isEqualTo(new Verdict(Kind.FATAL, INTERNAL_ERROR, "not authorized"));
    }

    @Test
    void sessionMentionedByValidationOfExecuteOnWarmSessionRefusesTheSession() {
        var sessionGone = serviceError("ValidationException", "Session abc-123 is not available or has expired", 400);

        assertThat(classifier.classifyExecuteOnSession(sessionGone))
                .isEqualTo(new Verdict(Kind.SESSION_REFUSED, WAREHOUSE_UNAVAILABLE, "Session abc-123 is not available or has expired"));
        assertThat(classifier.classifyExecuteOnSession(sessionGone).isRetryable()).as("same call, same session").isFalse();
    }

    @Test
    void sessionMentionedOutsideExecuteOnSessionIsAboutTheStatement() {
        var mentionsSession = serviceError("ValidationException", "function session_user() is not allowed", 400);

        assertThat(classifier.classify(mentionsSession, WAREHOUSE).kind()).isEqualTo(Kind.FATAL);
        assertThat(classifier.classify(mentionsSession, WAREHOUSE).code()).isEqualTo(QUERY_FAILED);
    }

    @Test
    void validationNotAboutTheSessionFailsTheQueryEvenOnWarmSession() {
        assertThat(classifier.classifyExecuteOnSession(serviceError("ValidationException", "syntax error at or near \"selec\"", 400)))
                .isEqualTo(new Verdict(Kind.FATAL, QUERY_FAILED, "syntax error at or near \"selec\""));
    }

    @Test
    void throttlingOnWarmSessionIsStillThrottling() {
        assertThat(classifier.classifyExecuteOnSession(serviceError("ActiveSessionsExceededException", "too many sessions", 400)).kind())
                .isEqualTo(Kind.THROTTLED);
    }

    @Test
    void messageLeavesOutTheSdksRequestIdDecoration() {
        var withoutDetailsMessage = AwsServiceException.builder()
                .message("Rate exceeded (Service: RedshiftData, Status Code: 400, Request ID: 8f7d-11)")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build())
                .statusCode(400).build();
        var withDetailsMessage = serviceError("ThrottlingException", "Rate exceeded", 400);

        assertThat(withDetailsMessage.getMessage()).contains("Request ID");
        assertThat(classifier.classify(withDetailsMessage, WAREHOUSE).message()).isEqualTo("Rate exceeded");
        assertThat(classifier.classify(withoutDetailsMessage, WAREHOUSE).message()).isEqualTo("Rate exceeded");
    }

    @Test
    void serviceErrorWithoutAnyMessageIsNamedByItsCode() {
        var bare = AwsServiceException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerException").build()).statusCode(500).build();

        assertThat(classifier.classify(bare, WAREHOUSE).message()).isNotBlank().doesNotContain("Request ID");
    }

    @Test
    void serviceErrorWithoutAwsDetailsIsJudgedByStatus() {
        assertThat(classifier.classify(SdkServiceException.builder().message("busy").statusCode(503).build(), STORAGE))
                .isEqualTo(new Verdict(Kind.TRANSIENT, STORAGE_UNAVAILABLE, "busy"));
        assertThat(classifier.classify(SdkServiceException.builder().message("slow down").statusCode(429).build(), STORAGE).kind())
                .isEqualTo(Kind.THROTTLED);
        assertThat(classifier.classify(SdkServiceException.builder().message("bad").statusCode(400).build(), STORAGE).code())
                .isEqualTo(INTERNAL_ERROR);
    }

    @Test
    void networkTroubleIsTransientAndBlamedOnTheDependencyCalled() {
        var refused = SdkClientException.builder().message("Unable to execute HTTP request: Connection refused")
                .cause(new ConnectException("Connection refused")).build();
        var unknownHost = SdkClientException.create("Unable to execute HTTP request: dynamodb.example",
                new UnknownHostException("dynamodb.example"));

        assertThat(classifier.classify(refused, WAREHOUSE))
                .isEqualTo(new Verdict(Kind.TRANSIENT, WAREHOUSE_UNAVAILABLE, AwsFailureClassifier.CONNECTION_FAILED));
        assertThat(classifier.classify(refused, STORAGE).code()).isEqualTo(STORAGE_UNAVAILABLE);
        assertThat(classifier.classify(unknownHost, STORAGE).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void readTimeoutIsTransientWithATimeoutMessage() {
        var readTimedOut = SdkClientException.builder().message("Unable to execute HTTP request: Read timed out")
                .cause(new SocketTimeoutException("Read timed out")).build();

        assertThat(classifier.classify(readTimedOut, STORAGE))
                .isEqualTo(new Verdict(Kind.TRANSIENT, STORAGE_UNAVAILABLE, AwsFailureClassifier.NO_ANSWER_IN_TIME));
    }

    @Test
    void ioFailureDeepInTheCausesIsTransient() {
        var credentialsFromMetadataService = SdkClientException.create("Failed to load credentials from IMDS.",
                SdkClientException.create("Unable to contact EC2 metadata service.", new ConnectException("Connection refused")));

        assertThat(classifier.classify(credentialsFromMetadataService, STORAGE).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void sdkTimeoutsAreTransient() {
        assertThat(classifier.classify(ApiCallTimeoutException.create(1000), STORAGE))
                .isEqualTo(new Verdict(Kind.TRANSIENT, STORAGE_UNAVAILABLE, AwsFailureClassifier.NO_ANSWER_IN_TIME));
        assertThat(classifier.classify(ApiCallAttemptTimeoutException.create(500), WAREHOUSE).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void interruptedCallIsTransientSoThatShutdownDoesNotFailTheJob() {
        assertThat(classifier.classify(AbortedException.create("Thread was interrupted"), WAREHOUSE).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void clientErrorsThatAreNotInputOutputAreFatalInternalErrors() {
        var noCredentials = SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        var notMarshalled = SdkClientException.create("Unable to marshall request to JSON: Parameter 'Id' must not be null",
                new IllegalArgumentException("Parameter 'Id' must not be null"));
        var sdkSaysNo = NonRetryableException.create("not retryable");

        assertThat(classifier.classify(noCredentials, STORAGE))
                .isEqualTo(new Verdict(Kind.FATAL, INTERNAL_ERROR, AwsFailureClassifier.INTERNAL_ERROR_MESSAGE));
        assertThat(classifier.classify(notMarshalled, WAREHOUSE).kind()).isEqualTo(Kind.FATAL);
        assertThat(classifier.classify(sdkSaysNo, WAREHOUSE).kind()).isEqualTo(Kind.FATAL);
    }

    @Test
    void uncheckedInputOutputIsTransient() {
        assertThat(classifier.classify(new UncheckedIOException(new SocketTimeoutException("timed out")), WAREHOUSE).kind())
                .isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void anythingElseIsAnInternalErrorWhoseTextStaysInTheLogs() {
        Verdict verdict = classifier.classify(new IllegalStateException("select * from secrets where ssn = '123'"), WAREHOUSE);

        assertThat(verdict).isEqualTo(new Verdict(Kind.FATAL, ErrorCode.INTERNAL_ERROR, AwsFailureClassifier.INTERNAL_ERROR_MESSAGE));
        assertThat(verdict.toJobError().message()).doesNotContain("ssn");
    }

    @Test
    void judgesTheCauseOfAsyncWrappers() {
        var throttled = serviceError("ThrottlingException", "Rate exceeded", 400);

        assertThat(classifier.classify(new CompletionException(throttled), WAREHOUSE).kind()).isEqualTo(Kind.THROTTLED);
        assertThat(classifier.classify(new ExecutionException(new CompletionException(throttled)), WAREHOUSE).kind())
                .isEqualTo(Kind.THROTTLED);
        assertThat(classifier.classifyExecuteOnSession(new CompletionException(
                serviceError("ValidationException", "Session is busy", 400))).kind()).isEqualTo(Kind.SESSION_REFUSED);
    }

    @Test
    void emptyAsyncWrapperIsAnInternalError() {
        assertThat(classifier.classify(new CompletionException("lost its cause", null), STORAGE).code()).isEqualTo(INTERNAL_ERROR);
    }

    @Test
    void refusesToClassifyNothing() {
        assertThatNullPointerException().isThrownBy(() -> classifier.classify(null, WAREHOUSE));
        assertThatNullPointerException().isThrownBy(() -> classifier.classify(new RuntimeException(), null));
    }

    @Test
    void namesHowAFailedCallEnded() {
        assertThat(classifier.outcomeOf(serviceError("ThrottlingException", "Rate exceeded", 400))).isEqualTo(CallOutcome.THROTTLED);
        assertThat(classifier.outcomeOf(serviceError("SlowDown", "Please reduce your request rate", 503))).isEqualTo(CallOutcome.THROTTLED);
        assertThat(classifier.outcomeOf(serviceError("ConditionalCheckFailedException", "The conditional request failed", 400)))
                .isEqualTo(CallOutcome.CLIENT_ERROR);
        assertThat(classifier.outcomeOf(serviceError("AccessDeniedException", "not authorized", 400))).isEqualTo(CallOutcome.CLIENT_ERROR);
        assertThat(classifier.outcomeOf(serviceError("InternalServerError", "oops", 500))).isEqualTo(CallOutcome.SERVER_ERROR);
        assertThat(classifier.outcomeOf(ApiCallTimeoutException.create(5000))).isEqualTo(CallOutcome.TIMEOUT);
        assertThat(classifier.outcomeOf(ApiCallAttemptTimeoutException.create(2000))).isEqualTo(CallOutcome.TIMEOUT);
        assertThat(classifier.outcomeOf(SdkClientException.create("Unable to execute HTTP request", new SocketTimeoutException("Read timed out"))))
                .isEqualTo(CallOutcome.TIMEOUT);
        assertThat(classifier.outcomeOf(SdkClientException.create("Unable to execute HTTP request", new ConnectException("Connection refused"))))
                .isEqualTo(CallOutcome.IO_ERROR);
        assertThat(classifier.outcomeOf(new CompletionException(SdkClientException.create("x", new UnknownHostException("nowhere")))))
                .isEqualTo(CallOutcome.IO_ERROR);
        assertThat(classifier.outcomeOf(SdkClientException.create("Unable to load credentials from any of the providers")))
                .isEqualTo(CallOutcome.CLIENT_ERROR);
        assertThat(classifier.outcomeOf(AbortedException.create("Thread was interrupted"))).isEqualTo(CallOutcome.CLIENT_ERROR);
    }

    private static AwsServiceException serviceError(String errorCode, String message, int status) {
        return AwsServiceException.builder().awsErrorDetails(details(errorCode, message)).statusCode(status).build();
    }

    private static AwsErrorDetails details(String errorCode, String message) {
        return AwsErrorDetails.builder().errorCode(errorCode).errorMessage(message).serviceName("Test").build();
    }
}
