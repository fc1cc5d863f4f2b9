package dev.spectra.deliveryworker.delivery;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import static dev.spectra.common.error.ErrorCode.INTERNAL_ERROR;
import static dev.spectra.common.error.ErrorCode.QUERY_FAILED;
import static dev.spectra.common.error.ErrorCode.STORAGE_UNAVAILABLE;
import static dev.spectra.common.error.ErrorCode.WAREHOUSE_UNAVAILABLE;
import static dev.spectra.deliveryworker.delivery.Dependency.STORAGE;
import static dev.spectra.deliveryworker.delivery.Dependency.WAREHOUSE;
import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTest {

    private final FailureClassifier classifier = new FailureClassifier();

    @Test
    void throttledOrFailingWarehouseIsUnavailableAndRetryable() {
        assertThat(classifier.classify(WAREHOUSE, AwsErrors.dataApiThrottled()))
                .isEqualTo(new Failure(WAREHOUSE_UNAVAILABLE, "the warehouse (Redshift Data API) is unavailable: Rate exceeded"));
        assertThat(classifier.classify(WAREHOUSE, AwsErrors.dataApiInternalError()).code()).isEqualTo(WAREHOUSE_UNAVAILABLE);
        assertThat(classifier.classify(WAREHOUSE, AwsErrors.dataApiInternalError()).retryable()).isTrue();
    }

    @Test
    void throttledJobStoreIsUnavailableAndRetryable() {
        Failure failure = classifier.classify(STORAGE, AwsErrors.dynamoDbThrottled());

        assertThat(failure.code()).isEqualTo(STORAGE_UNAVAILABLE);
        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void networkTroubleIsBlamedOnTheDependencyCalled() {
        assertThat(classifier.classify(WAREHOUSE, AwsErrors.connectionTimedOut()).code()).isEqualTo(WAREHOUSE_UNAVAILABLE);
        assertThat(classifier.classify(STORAGE, AwsErrors.connectionTimedOut()).code()).isEqualTo(STORAGE_UNAVAILABLE);
        assertThat(classifier.classify(STORAGE, ApiCallTimeoutException.create(1000)).code()).isEqualTo(STORAGE_UNAVAILABLE);
    }

    @Test
    void missingOrExpiredResultFailsTheQuery() {
        Failure missing = classifier.classify(WAREHOUSE, AwsErrors.resultsGone());
        Failure expired = classifier.classify(WAREHOUSE, AwsErrors.resultsExpired());

        assertThat(missing.code()).isEqualTo(QUERY_FAILED);
        assertThat(missing.retryable()).isFalse();
        assertThat(missing.message()).endsWith(": Query does not exist.");
        assertThat(expired.code()).isEqualTo(QUERY_FAILED);
        assertThat(expired.message()).endsWith(": Query results have expired.");
    }

    @Test
    void anythingElseIsOurFaultAndNotRetried() {
        assertThat(classifier.classify(WAREHOUSE, AwsErrors.dataApiAccessDenied()).code()).isEqualTo(INTERNAL_ERROR);
        assertThat(classifier.classify(WAREHOUSE, new NullPointerException("x is null")).code()).isEqualTo(INTERNAL_ERROR);
        assertThat(classifier.classify(STORAGE, SdkClientException.create("Unable to load credentials")).code()).isEqualTo(INTERNAL_ERROR);
        assertThat(classifier.classify(STORAGE, new IllegalStateException()).retryable()).isFalse();
    }
}
