package dev.spectra.gateway.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Real HS256 tokens, minted the way the local stack mints them. */
public final class Tokens {

    public static final String SECRET = "spectra-test-secret-0123456789-abcdefghijklmnop";
    public static final String ISSUER = "https://idp.test/";
    public static final String AUDIENCE = "spectra-api";

    private final Clock clock;

    public Tokens(Clock clock) {
        this.clock = clock;
    }

    public Builder forTenant(String tenant) {
        return new Builder(clock.instant()).claim("tenant_id", tenant);
    }

    public static final class Builder {

        private final Instant now;
        private final JWTClaimsSet.Builder claims;
        private String secret = SECRET;

        private Builder(Instant now) {
            this.now = now;
            this.claims = new JWTClaimsSet.Builder()
                    .subject("test-client")
                    .issuer(ISSUER)
                    .audience(AUDIENCE)
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        }

        public Builder claim(String name, Object value) {
            claims.claim(name, value);
            return this;
        }

        public Builder expiredFor(Duration duration) {
            claims.issueTime(Date.from(now.minus(duration).minus(Duration.ofMinutes(5))));
            claims.expirationTime(Date.from(now.minus(duration)));
            return this;
        }

        public Builder issuedBy(String issuer) {
            claims.issuer(issuer);
            return this;
        }

        public Builder forAudience(String audience) {
            claims.audience(audience);
            return this;
        }

        public Builder living(Duration lifetime) {
            claims.issueTime(Date.from(now));
            claims.expirationTime(Date.from(now.plus(lifetime)));
            return this;
        }

        public Builder withoutIssueTime() {
            claims.issueTime(null);
            return this;
        }

        public Builder withoutExpiry() {
            claims.expirationTime(null);
            return this;
        }

        public Builder signedWith(String otherSecret) {
            this.secret = otherSecret;
            return this;
        }

        public String mint() {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                        claims.build());
                jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
