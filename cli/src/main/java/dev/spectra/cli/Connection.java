package dev.spectra.cli;

import java.net.URI;
import java.net.URISyntaxException;

import static java.util.Objects.requireNonNull;

/** Where requests go and who sends them. The token is a secret: {@link #toString()} leaves it out. */
record Connection(URI gateway, String tenant, String token) {

    Connection {
        requireNonNull(gateway, "gateway is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(token, "token is null");
    }

    /** The gateway's URL without a trailing slash, so that paths resolve against its root. */
    static URI gatewayUrl(String value, String source) {
        String trimmed = value.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // the message below says what is expected
        }
        throw new UsageException(source + " must be an http:// or https:// URL, not '" + value + "'");
    }

    @Override
    public String toString() {
        return "Connection[gateway=" + gateway + ", tenant=" + tenant + ", token=(hidden)]";
    }
}
