package dev.spectra.gateway.results;

import java.net.URI;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** A presigned GET of one object, and when its signature stops being accepted. */
public record SignedLink(URI url, Instant expiresAt) {

    public SignedLink {
        requireNonNull(url, "url is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }
}
