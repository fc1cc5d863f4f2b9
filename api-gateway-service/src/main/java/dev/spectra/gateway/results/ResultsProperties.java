package dev.spectra.gateway.results;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How the gateway serves delivered results ({@code spectra.gateway.results.*}).
 *
 * @param linkTtl         how long a signed link to a chunk file works, default 15m; 1s to 7d, the longest
 *                        SigV4 allows. A link never outlives its job's retention, and one signed with temporary
 *                        credentials dies with them
 * @param maxManifestSize the largest manifest read from the results bucket, default 4MB (tens of thousands of
 *                        chunks); a larger one is refused unread, 1KB to 64MB
 * @param readTimeout     how long to wait for the results bucket to start answering (a manifest, a chunk's first
 *                        bytes), default 5s
 * @param linkEndpoint    where signed links point, when clients reach the bucket at another address than the gateway
 *                        does (an S3 emulator the gateway reaches by its container name and clients at a published
 *                        port); absent, links point where the gateway's S3 client goes ({@code spectra.aws.endpoints.s3},
 *                        else the regional endpoint). An absolute http or https URI, with no path
 */
@Validated
@ConfigurationProperties("spectra.gateway.results")
public record ResultsProperties(
        @NotNull @DurationMin(seconds = 1) @DurationMax(days = 7) @DefaultValue("15m") Duration linkTtl,
        @NotNull @DefaultValue("4MB") DataSize maxManifestSize,
        @NotNull @DurationMin(millis = 1) @DefaultValue("5s") Duration readTimeout,
        URI linkEndpoint) {

    public ResultsProperties {
        if (maxManifestSize != null
                && (maxManifestSize.compareTo(DataSize.ofKilobytes(1)) < 0 || maxManifestSize.compareTo(DataSize.ofMegabytes(64)) > 0)) {
            throw new IllegalArgumentException("max-manifest-size must be between 1KB and 64MB: " + maxManifestSize);
        }
        if (linkEndpoint != null && (!linkEndpoint.isAbsolute() || !Set.of("http", "https").contains(linkEndpoint.getScheme())
                || linkEndpoint.getHost() == null || !(linkEndpoint.getPath() == null || linkEndpoint.getPath().isEmpty() || linkEndpoint.getPath().equals("/"))
                || linkEndpoint.getQuery() != null)) {
            throw new IllegalArgumentException("link-endpoint must be an http or https URI with a host and no path: " + linkEndpoint);
        }
    }

    /** {@link #linkEndpoint}, if one is set. */
    public Optional<URI> configuredLinkEndpoint() {
        return Optional.ofNullable(linkEndpoint);
    }
}
