package dev.spectra.common.aws;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.net.URI;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How every service builds its AWS SDK clients: one region, one credentials provider, and for each client its
 * endpoint override, call and attempt timeouts, retry decision and {@link AwsCallMetrics}. The services' Spring
 * configurations only choose the clients (sync or async, HTTP client, S3 specifics) and who retries.
 *
 * <p>The region is {@code spectra.aws.region} when set, else what the SDK's default region provider chain finds
 * ({@code AWS_REGION}, the profile, instance metadata); with neither, the service does not start. Credentials
 * come from the SDK's default provider chain, which covers web identity (IAM roles for service accounts: the
 * {@code sts} module is on every service's classpath), container and instance roles, the environment and the
 * profile; they are resolved at the first call, not here. Closing this closes the credentials provider; close it
 * after the clients built with it.
 */
public final class AwsClients implements SdkAutoCloseable {

    private final AwsProperties properties;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final MeterRegistry meters;

    /**
     * @param regionChain asked only when {@code spectra.aws.region} is not set
     * @param credentials shared by every client built here
     */
    public AwsClients(AwsProperties properties, AwsRegionProvider regionChain, AwsCredentialsProvider credentials, MeterRegistry meters) {
        this.properties = requireNonNull(properties, "properties is null");
        requireNonNull(regionChain, "regionChain is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.meters = requireNonNull(meters, "meters is null");
        this.region = properties.configuredRegion().map(Region::of).orElseGet(() -> resolve(regionChain));
    }

    /** The production wiring: the SDK's default region and credentials chains. */
    public static AwsClients create(AwsProperties properties, MeterRegistry meters) {
        return new AwsClients(properties, new DefaultAwsRegionProviderChain(), DefaultCredentialsProvider.builder().build(), meters);
    }

    /**
     * Sets {@code builder}'s region, credentials, endpoint override, timeouts, retries and call metrics for
     * {@code service}; the caller adds what only its client needs (an HTTP client, S3 path style) and builds it.
     */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsService service, Retries retries) {
        requireNonNull(builder, "builder is null");
        requireNonNull(service, "service is null");
        requireNonNull(retries, "retries is null");
        builder.region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(override -> {
                    override.apiCallTimeout(properties.apiCallTimeout(service))
                            .apiCallAttemptTimeout(properties.apiCallAttemptTimeout(service))
                            .addExecutionInterceptor(new AwsCallMetrics(meters, service));
                    if (retries == Retries.BY_CALLER) {
                        override.retryStrategy(AwsRetryStrategy.doNotRetry());
                    }
                });
        properties.endpoint(service).ifPresent(builder::endpointOverride);
        return builder;
    }

    public Region region() {
        return region;
    }

    /** For what signs without calling (the S3 presigner). */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public Optional<URI> endpoint(AwsService service) {
        return properties.endpoint(service);
    }

    public AwsProperties properties() {
        return properties;
    }

    @Override
    public void close() {
        if (credentials instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }

    private static Region resolve(AwsRegionProvider regionChain) {
        Region found;
        try {
            found = regionChain.getRegion();
        } catch (SdkClientException e) {
            throw noRegion(e.getMessage(), e);
        }
        if (found == null) {
            throw noRegion("no region", null);
        }
        return found;
    }

    private static IllegalStateException noRegion(String chainSaid, Throwable cause) {
        return new IllegalStateException("No AWS region: set spectra.aws.region (SPECTRA_AWS_REGION) or AWS_REGION, or run where the "
                + "SDK's region provider chain finds one (the profile's region, EC2 instance metadata). The chain said: " + chainSaid, cause);
    }
}
