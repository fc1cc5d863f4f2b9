package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.aws.AwsFailureClassifier;
import dev.spectra.common.aws.Dependency;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import static dev.spectra.common.error.ErrorCode.INTERNAL_ERROR;
import static dev.spectra.common.error.ErrorCode.QUERY_FAILED;
import static dev.spectra.common.error.ErrorCode.STORAGE_UNAVAILABLE;
import static dev.spectra.common.error.ErrorCode.WAREHOUSE_UNAVAILABLE;
import static dev.spectra.common.aws.Dependency.STORAGE;
import static dev.spectra.common.aws.Dependency.WAREHOUSE;
import static org.assertj.core.api.Assertions.assertThat;

/** How the delivery words the shared classifier's verdicts on the calls it makes. */
class FailureTest {

    private final AwsFailureClassifier classifier = new AwsFailureClassifier();

    @Test
    void throttledOrFailingWarehouseIsUnavailableAndRetryable() {
        assertThat(classify(WAREHOUSE, AwsErrors.dataApiThrottled()))
                .isEqualTo(new Failure(WAREHOUSE_UNAVAILABLE, "the warehouse (Redshift Data API) is unavailable: Rate exceeded"));
        assertThat(classify(WAREHOUSE, AwsErrors.dataApiInternalError()).code()).isEqualTo(WAREHOUSE_UNAVAILABLE);
        assertThat(classify(WAREHOUSE, AwsErrors.dataApiInternalError()).retryable()).isTrue();
    }

    @Test
    void throttledJobStoreIsUnavailableAndRetryable() {
        Failure failure = classify(STORAGE, AwsErrors.dynamoDbThrottled());

        assertThat(failure.code()).isEqualTo(STORAGE_UNAVAILABLE);
        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void networkTroubleIsBlamedOnTheDependencyCalled() {
        assertThat(classify(WAREHOUSE, AwsErrors.connectionTimedOut()).code()).isEqualTo(WAREHOUSE_UNAVAILABLE);
        assertThat(classify(STORAGE, AwsErrors.connectionTimedOut()).code()).isEqualTo(STORAGE_UNAVAILABLE);
        assertThat(classify(STORAGE, ApiCallTimeoutException.create(1000)).code()).isEqualTo(STORAGE_UNAVAILABLE);
    }

    @Test
    void missingOrExpiredResultFailsTheQuery() {
        Failure missing = classify(WAREHOUSE, AwsErrors.resultsGone());
        Failure expired = classify(WAREHOUSE, AwsErrors.resultsExpired());

        assertThat(missing.code()).isEqualTo(QUERY_FAILED);
        assertThat(missing.retryable()).isFalse();
        assertThat(missing.message()).endsWith(": Query does not exist.");
        assertThat(expired.code()).isEqualTo(QUERY_FAILED);
        assertThat(expired.message()).endsWith(": Query results have expired.");
    }

    @Test
    void anythingElseIsOurFaultAndNotRetried() {
        assertThat(classify(WAREHOUSE, AwsErrors.dataApiAccessDenied()).code()).isEqualTo(INTERNAL_ERROR);
        assertThat(classify(WAREHOUSE, new NullPointerException("x is null")).code()).isEqualTo(INTERNAL_ERROR);
        assertThat(classify(STORAGE, SdkClientException.create("Unable to load credentials")).code()).isEqualTo(INTERNAL_ERROR);
        assertThat(classify(STORAGE, new IllegalStateException()).retryable()).isFalse();
    }

    private Failure classify(Dependency dependency, Throwable error) {
        return Failure.of(dependency, classifier.classify(error, dependency));
    }
}
