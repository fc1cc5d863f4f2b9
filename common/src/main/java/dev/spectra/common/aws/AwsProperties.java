package dev.spectra.common.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where and how every service's AWS clients connect ({@code spectra.aws.*}). Credentials are never configured here:
 * they come from the SDK's default provider chain (environment, profile, web identity, container or instance role).
 * Each service binds this record with Spring's binder; map keys are the {@link AwsService}s' property names.
 *
 * @param region                the AWS region; unset or blank means the SDK's default region provider chain
 *                              ({@code AWS_REGION}, the profile, instance metadata)
 * @param endpoints             endpoint overrides, e.g. {@code spectra.aws.endpoints.dynamodb}; absent or empty means
 *                              the service's real regional endpoint
 * @param s3PathStyle           address S3 as {@code host/bucket/key} rather than {@code bucket.host/key}, default false;
 *                              S3 emulators need true
 * @param apiCallTimeout        the longest one call may take, the SDK's retries included, e.g.
 *                              {@code spectra.aws.api-call-timeout.s3}; defaults in {@link AwsService}
 * @param apiCallAttemptTimeout the longest one attempt of a call may take (at most the call's), e.g.
 *                              {@code spectra.aws.api-call-attempt-timeout.s3}; defaults in {@link AwsService}
 */
public record AwsProperties(
        String region,
        Map<AwsService, URI> endpoints,
        boolean s3PathStyle,
        Map<AwsService, Duration> apiCallTimeout,
        Map<AwsService, Duration> apiCallAttemptTimeout) {

    /** The prefix the properties are bound under. */
    public static final String PREFIX = "spectra.aws";

    public AwsProperties {
        region = region == null ? "" : region.strip();
        endpoints = overrides(endpoints);
        apiCallTimeout = withDefaults(apiCallTimeout, AwsService::defaultApiCallTimeout, "api-call-timeout");
        apiCallAttemptTimeout = withDefaults(apiCallAttemptTimeout, AwsService::defaultApiCallAttemptTimeout, "api-call-attempt-timeout");
        for (AwsService service : AwsService.values()) {
            if (apiCallAttemptTimeout.get(service).compareTo(apiCallTimeout.get(service)) > 0) {
                throw new IllegalArgumentException("%s.api-call-attempt-timeout.%s (%s) must not be longer than %s.api-call-timeout.%s (%s)"
                        .formatted(PREFIX, service.propertyName(), apiCallAttemptTimeout.get(service), PREFIX, service.propertyName(),
                                apiCallTimeout.get(service)));
            }
        }
    }

    /** Every default: the SDK's region chain, the real endpoints, the default timeouts. */
    public static AwsProperties defaults() {
        return new AwsProperties(null, null, false, null, null);
    }

    /** The region set in {@code spectra.aws.region}, if one is. */
    public Optional<String> configuredRegion() {
        return region.isEmpty() ? Optional.empty() : Optional.of(region);
    }

    public Optional<URI> endpoint(AwsService service) {
        return Optional.ofNullable(endpoints.get(service));
    }

    public Duration apiCallTimeout(AwsService service) {
        return apiCallTimeout.get(service);
    }

    public Duration apiCallAttemptTimeout(AwsService service) {
        return apiCallAttemptTimeout.get(service);
    }

    // An empty command-line value ("--spectra.aws.endpoints.s3=") binds to an empty URI or null: no override.
    private static Map<AwsService, URI> overrides(Map<AwsService, URI> configured) {
        Map<AwsService, URI> overrides = new EnumMap<>(AwsService.class);
        if (configured != null) {
            configured.forEach((service, uri) -> {
                if (service != null && uri != null && !uri.toString().isBlank()) {
                    overrides.put(service, uri);
                }
            });
        }
        return Collections.unmodifiableMap(overrides);
    }

    private static Map<AwsService, Duration> withDefaults(Map<AwsService, Duration> configured,
            Function<AwsService, Duration> defaults, String property) {
        Map<AwsService, Duration> timeouts = new EnumMap<>(AwsService.class);
        for (AwsService service : AwsService.values()) {
            Duration timeout = configured == null ? null : configured.get(service);
            timeout = timeout == null ? defaults.apply(service) : timeout;
            if (!timeout.isPositive()) {
                throw new IllegalArgumentException("%s.%s.%s must be positive: %s".formatted(PREFIX, property, service.propertyName(), timeout));
            }
            timeouts.put(service, timeout);
        }
        return Collections.unmodifiableMap(timeouts);
    }
}
