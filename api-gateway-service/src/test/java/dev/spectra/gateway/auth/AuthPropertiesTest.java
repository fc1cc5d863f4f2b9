package dev.spectra.gateway.auth;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import java.net.URI;

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
        AuthProperties auth = bind(Binding.class, AuthProperties.class, "spectra.gateway.auth.hmac-secret=" + SECRET);

        assertThat(auth).isEqualTo(new AuthProperties(SECRET, null, "tenant_id", null, null));
        assertThat(auth.requiredIssuer()).isEmpty();
        assertThat(auth.requiredAudience()).isEmpty();
    }

    @Test
    void bindsOverridesAroundAJwkSet() {
        AuthProperties auth = bind(Binding.class, AuthProperties.class,
                "spectra.gateway.auth.jwk-set-uri=https://idp.example.com/jwks.json",
                "spectra.gateway.auth.tenant-claim=org",
                "spectra.gateway.auth.issuer=https://idp.example.com/",
                "spectra.gateway.auth.audience=spectra-api");

        assertThat(auth).isEqualTo(new AuthProperties(null, URI.create("https://idp.example.com/jwks.json"), "org",
                "https://idp.example.com/", "spectra-api"));
    }

    @Test
    void refusesToStartWithoutAKeySource() {
        bindingFailure(Binding.class).hasMessageContaining("exactly one of");
    }

    @Test
    void refusesToStartWithBothKeySources() {
        bindingFailure(Binding.class,
                "spectra.gateway.auth.hmac-secret=" + SECRET,
                "spectra.gateway.auth.jwk-set-uri=https://idp.example.com/jwks.json")
                .hasMessageContaining("exactly one of");
    }

    @Test
    void refusesAShortSecret() {
        bindingFailure(Binding.class, "spectra.gateway.auth.hmac-secret=too-short").hasMessageContaining("at least 32 bytes");
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(new AuthProperties(SECRET, null, "tenant_id", null, null).toString()).doesNotContain(SECRET);
    }
}
