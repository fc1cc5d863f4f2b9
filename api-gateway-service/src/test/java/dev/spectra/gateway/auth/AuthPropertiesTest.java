package dev.spectra.gateway.auth;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import java.net.URI;
import java.time.Duration;

import static dev.spectra.gateway.support.PropertiesBinding.bind;
import static dev.spectra.gateway.support.PropertiesBinding.bindingFailure;
import static org.assertj.core.api.Assertions.assertThat;

class AuthPropertiesTest {

    private static final String SECRET = "local-stack-secret-0123456789abcdef";

    @EnableConfigurationProperties(AuthProperties.class)
    static class Binding {
    }

    @Test
    void bindsDefaultsAroundAnHmacSecret() {
        AuthProperties auth = bind(Binding.class, AuthProperties.class, "spectra.gateway.auth.hmac-secret=" + SECRET,
                "spectra.gateway.auth.issuer=spectra-local", "spectra.gateway.auth.audience=spectra-api");

        assertThat(auth).isEqualTo(new AuthProperties(SECRET, null, "tenant_id", "spectra-local", "spectra-api",
                Duration.ofHours(24)));
    }

    @Test
    void refusesToStartWithoutAnIssuerOrAnAudience() {
        bindingFailure(Binding.class, "spectra.gateway.auth.hmac-secret=" + SECRET,
                "spectra.gateway.auth.audience=spectra-api").hasMessageContaining("spectra.gateway.auth.issuer");
        bindingFailure(Binding.class, "spectra.gateway.auth.hmac-secret=" + SECRET,
                "spectra.gateway.auth.issuer=spectra-local").hasMessageContaining("spectra.gateway.auth.audience");
    }

    @Test
    void bindsOverridesAroundAJwkSet() {
        AuthProperties auth = bind(Binding.class, AuthProperties.class,
                "spectra.gateway.auth.jwk-set-uri=https://idp.example.com/jwks.json",
                "spectra.gateway.auth.tenant-claim=org",
                "spectra.gateway.auth.issuer=https://idp.example.com/",
                "spectra.gateway.auth.audience=spectra-api",
                "spectra.gateway.auth.max-token-lifetime=1h");

        assertThat(auth).isEqualTo(new AuthProperties(null, URI.create("https://idp.example.com/jwks.json"), "org",
                "https://idp.example.com/", "spectra-api", Duration.ofHours(1)));
    }

    @Test
    void refusesToStartWithoutAKeySource() {
        bindingFailure(Binding.class).hasMessageContaining("exactly one of");
    }

    @Test
    void refusesToStartWithBothKeySources() {
        bindingFailure(Binding.class,
                "spectra.gateway.auth.hmac-secret=" + SECRET,
                "spectra.gateway.auth.jwk-set-uri=https://idp.example.com/jwks.json",
                "spectra.gateway.auth.issuer=i", "spectra.gateway.auth.audience=a")
                .hasMessageContaining("exactly one of");
    }

    @Test
    void refusesAShortSecret() {
        bindingFailure(Binding.class, "spectra.gateway.auth.hmac-secret=too-short",
                "spectra.gateway.auth.issuer=i", "spectra.gateway.auth.audience=a").hasMessageContaining("at least 32 bytes");
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(new AuthProperties(SECRET, null, "tenant_id", "i", "a", Duration.ofHours(1)).toString()).doesNotContain(SECRET);
    }
}
