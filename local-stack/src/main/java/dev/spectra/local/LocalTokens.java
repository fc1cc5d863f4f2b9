package dev.spectra.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.spectra.common.tenant.TenantId;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * The local stack's token issuer: a fresh HMAC key per run, shared only with the gateway (through
 * its environment, never its command line), so tokens die with the run. Tokens carry the issuer and
 * audience the gateway is started with, and live 12 hours, within the gateway's 24-hour maximum.
 */
public final class LocalTokens {

    public static final String ISSUER = "spectra-local";
    public static final String AUDIENCE = "spectra-api";
    public static final String TENANT_CLAIM = "tenant_id";
    /** The OAuth client the local tokens are issued to ({@code azp}), as an identity provider names it. */
    public static final String CLIENT_ID = "spectra-local";
    public static final Duration LIFETIME = Duration.ofHours(12);

    private final String secret;

    private LocalTokens(String secret) {
        this.secret = secret;
    }

    public static LocalTokens withRandomKey() {
        byte[] key = new byte[48];
        new SecureRandom().nextBytes(key);
        return new LocalTokens(Base64.getUrlEncoder().withoutPadding().encodeToString(key));
    }

    /** Tokens signed with a key drawn elsewhere: a compose setup's, which its gateway reads from the same file. */
    public static LocalTokens withKey(String secret) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("an HS256 key needs at least 32 bytes");
        }
        return new LocalTokens(secret);
    }

    /** The gateway's HMAC secret: its UTF-8 bytes are the key. */
    public String secret() {
        return secret;
    }

    public String tokenFor(TenantId tenant) {
        return sign(tenant.value(), Instant.now(), LIFETIME);
    }

    /** For tests: a token with any tenant claim and lifetime, signed with this run's key. */
    public String sign(String tenantClaim, Instant issuedAt, Duration lifetime) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("demo-app@" + tenantClaim)
                .claim(TENANT_CLAIM, tenantClaim)
                .claim("azp", CLIENT_ID)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a local token", e);
        }
    }
}
