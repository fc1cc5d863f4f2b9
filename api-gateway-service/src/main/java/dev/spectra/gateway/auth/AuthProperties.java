package dev.spectra.gateway.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * How bearer tokens are verified ({@code spectra.gateway.auth.*}). Exactly one key source must be
 * set, and the issuer and audience too; the gateway refuses to start otherwise. A token signed by the
 * right key but minted for another application of the same identity provider (another audience), by
 * another issuer, or for longer than {@code maxTokenLifetime} is refused.
 *
 * @param hmacSecret       HS256 shared secret, its UTF-8 bytes being the key; at least 32 bytes. For the
 *                         local stack, which mints its own tokens. No default.
 * @param jwkSetUri        the identity provider's JWK set, for production. No default.
 * @param tenantClaim      the claim naming the token's tenant, default {@code tenant_id}
 * @param issuer           tokens must carry exactly this {@code iss}. Required.
 * @param audience         tokens' {@code aud} must include it. Required.
 * @param maxTokenLifetime longest {@code exp - iat} accepted, default 24h; tokens must carry both claims
 */
@Validated
@ConfigurationProperties("spectra.gateway.auth")
public record AuthProperties(
        String hmacSecret,
        URI jwkSetUri,
        @NotBlank @DefaultValue("tenant_id") String tenantClaim,
        String issuer,
        String audience,
        @NotNull @DurationMin(seconds = 1) @DefaultValue("24h") Duration maxTokenLifetime) {

    /** HS256 keys shorter than the hash are weak, and Nimbus refuses them. */
    public static final int MIN_HMAC_SECRET_BYTES = 32;

    public AuthProperties {
        hmacSecret = blankToNull(hmacSecret);
        jwkSetUri = jwkSetUri == null || jwkSetUri.toString().isBlank() ? null : jwkSetUri;
        issuer = blankToNull(issuer);
        audience = blankToNull(audience);
        if ((hmacSecret == null) == (jwkSetUri == null)) {
            throw new IllegalArgumentException(
                    "set exactly one of spectra.gateway.auth.hmac-secret and spectra.gateway.auth.jwk-set-uri");
        }
        if (hmacSecret != null && hmacSecret.getBytes(StandardCharsets.UTF_8).length < MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "spectra.gateway.auth.hmac-secret must be at least " + MIN_HMAC_SECRET_BYTES + " bytes");
        }
        if (issuer == null || audience == null) {
            throw new IllegalArgumentException("set spectra.gateway.auth.issuer and spectra.gateway.auth.audience:"
                    + " tokens are checked for both");
        }
        if (jwkSetUri != null && !jwkSetUri.isAbsolute()) {
            throw new IllegalArgumentException("spectra.gateway.auth.jwk-set-uri must be an absolute URI");
        }
    }

    public Optional<byte[]> hmacKey() {
        return Optional.ofNullable(hmacSecret).map(secret -> secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Never prints the secret, wherever a record's toString ends up. */
    @Override
    public String toString() {
        return "AuthProperties[hmacSecret=" + (hmacSecret == null ? "null" : "******") + ", jwkSetUri=" + jwkSetUri
                + ", tenantClaim=" + tenantClaim + ", issuer=" + issuer + ", audience=" + audience
                + ", maxTokenLifetime=" + maxTokenLifetime + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
