package dev.spectra.gateway.auth;

import dev.spectra.common.tenant.TenantId;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import javax.crypto.spec.SecretKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Builds the token decoder from {@link AuthProperties}: an HS256 key or a JWK set, and the checks
 * every token must pass. Signature, {@code exp} (required) and {@code nbf} against the application
 * clock with Spring's default 60 s skew, the token type, the issuer, the audience, a lifetime no longer
 * than the configured maximum, and a valid tenant claim: a token that names no tenant is not a Spectra
 * token, so it is a 401, not a 403.
 */
final class JwtDecoding {

    private JwtDecoding() {}

    static ReactiveJwtDecoder decoder(AuthProperties auth, Clock clock) {
        NimbusReactiveJwtDecoder decoder = auth.hmacKey()
                .map(key -> NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
                        .macAlgorithm(MacAlgorithm.HS256)
                        .build())
                .orElseGet(() -> NimbusReactiveJwtDecoder.withJwkSetUri(auth.jwkSetUri().toString()).build());
        decoder.setJwtValidator(validator(auth, clock));
        return decoder;
    }

    static OAuth2TokenValidator<Jwt> validator(AuthProperties auth, Clock clock) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        timestamps.setAllowEmptyExpiryClaim(false);
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(timestamps);
        validators.add(new JwtClaimValidator<>(auth.tenantClaim(),
                (Object tenant) -> tenant instanceof String name && TenantId.isValid(name)));
        validators.add(new JwtIssuerValidator(auth.issuer()));
        validators.add(new JwtClaimValidator<>(JwtClaimNames.AUD,
                (Object audiences) -> audiences instanceof Collection<?> names && names.contains(auth.audience())));
        validators.add(lifetime(auth.maxTokenLifetime(), clock));
        return JwtValidators.createDefaultWithValidators(validators);
    }

    /**
     * A token must say when it was issued, not in the future, and live no longer than {@code maxLifetime}:
     * a long-lived token stolen once would otherwise work for as long as its issuer chose.
     */
    static OAuth2TokenValidator<Jwt> lifetime(Duration maxLifetime, Clock clock) {
        Duration skew = Duration.ofSeconds(60);
        return jwt -> {
            Instant issuedAt = jwt.getIssuedAt();
            Instant expiresAt = jwt.getExpiresAt();
            if (issuedAt == null || expiresAt == null) {
                return failure("The token must carry iat and exp.");
            }
            if (issuedAt.isAfter(clock.instant().plus(skew))) {
                return failure("The token was issued in the future.");
            }
            if (Duration.between(issuedAt, expiresAt).compareTo(maxLifetime) > 0) {
                return failure("The token lives longer than " + maxLifetime.toHours() + " h; ask for a shorter-lived one.");
            }
            return OAuth2TokenValidatorResult.success();
        };
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
    }
}
