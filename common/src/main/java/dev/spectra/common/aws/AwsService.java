package dev.spectra.common.aws;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The AWS services Spectra calls, each with the name it goes by in {@code spectra.aws.*} properties and in the
 * {@code service} tag of {@code spectra.aws.calls}, and its default call timeouts.
 *
 * <p>The defaults suit every Spectra service that uses the client. DynamoDB answers single-item calls in
 * milliseconds: an attempt stuck for 2s is lost, and a call (with the SDK's retries, where it retries) ends
 * within 5s. S3 carries upload parts of several megabytes (the delivery worker) and the first bytes of result
 * objects (the gateway, which also gives up after its own {@code spectra.gateway.results.read-timeout}). The Data
 * API's long polls wait up to {@code spectra.statements.long-poll-wait} (1s by default) on the service's side and
 * its result pages run to about a megabyte.
 */
public enum AwsService {
    DYNAMODB("dynamodb", Duration.ofSeconds(5), Duration.ofSeconds(2)),
    S3("s3", Duration.ofSeconds(60), Duration.ofSeconds(20)),
    REDSHIFT_DATA("redshift-data", Duration.ofSeconds(30), Duration.ofSeconds(15));

    private final String propertyName;
    private final Duration defaultApiCallTimeout;
    private final Duration defaultApiCallAttemptTimeout;

    AwsService(String propertyName, Duration defaultApiCallTimeout, Duration defaultApiCallAttemptTimeout) {
        this.propertyName = requireNonNull(propertyName, "propertyName is null");
        this.defaultApiCallTimeout = requireNonNull(defaultApiCallTimeout, "defaultApiCallTimeout is null");
        this.defaultApiCallAttemptTimeout = requireNonNull(defaultApiCallAttemptTimeout, "defaultApiCallAttemptTimeout is null");
    }

    /** As in {@code spectra.aws.endpoints.redshift-data}, and the value of the metrics' {@code service} tag. */
    public String propertyName() {
        return propertyName;
    }

    public Duration defaultApiCallTimeout() {
        return defaultApiCallTimeout;
    }

    public Duration defaultApiCallAttemptTimeout() {
        return defaultApiCallAttemptTimeout;
    }
}
