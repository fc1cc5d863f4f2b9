package dev.spectra.gateway.auth;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How bearer tokens are verified ({@code spectra.gateway.auth.*}). Exactly one key source must be
 * set; the gateway refuses to start otherwise.
 *
 * @param hmacSecret  HS256 shared secret, its UTF-8 bytes being the key; at least 32 bytes. For the
 *                    local stack, which mints its own tokens. No default.
 * @param jwkSetUri   the identity provider's JWK set, for production. No default.
 * @param tenantClaim the claim naming the token's tenant, default {@code tenant_id}
 * @param issuer      when set, tokens must carry exactly this {@code iss}
 * @param audience    when set, tokens' {@code aud} must include it
 */
@Validated
@ConfigurationProperties("spectra.gateway.auth")
public record AuthProperties(
        String hmacSecret,
        URI jwkSetUri,
        @NotBlank @DefaultValue("tenant_id") String tenantClaim,
        String issuer,
        String audience) {

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
        if (jwkSetUri != null && !jwkSetUri.isAbsolute()) {
            throw new IllegalArgumentException("spectra.gateway.auth.jwk-set-uri must be an absolute URI");
        }
    }

    public Optional<byte[]> hmacKey() {
        return Optional.ofNullable(hmacSecret).map(secret -> secret.getBytes(StandardCharsets.UTF_8));
    }

    public Optional<String> requiredIssuer() {
        return Optional.ofNullable(issuer);
    }

    public Optional<String> requiredAudience() {
        return Optional.ofNullable(audience);
    }

    /** Never prints the secret, wherever a record's toString ends up. */
    @Override
    public String toString() {
        return "AuthProperties[hmacSecret=" + (hmacSecret == null ? "null" : "******") + ", jwkSetUri=" + jwkSetUri
                + ", tenantClaim=" + tenantClaim + ", issuer=" + issuer + ", audience=" + audience + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
