package dev.spectra.gateway.ratelimit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import static dev.spectra.gateway.support.PropertiesBinding.bind;
import static dev.spectra.gateway.support.PropertiesBinding.bindingFailure;
import static org.assertj.core.api.Assertions.assertThat;

class RateLimitPropertiesTest {

    @EnableConfigurationProperties(RateLimitProperties.class)
    static class Binding {
    }

    @Test
    void bindsDefaults() {
        assertThat(bind(Binding.class, RateLimitProperties.class)).isEqualTo(new RateLimitProperties(20, 10));
    }

    @Test
    void bindsOverrides() {
        assertThat(bind(Binding.class, RateLimitProperties.class,
                "spectra.gateway.rate-limit.capacity=100", "spectra.gateway.rate-limit.refill-per-second=25"))
                .isEqualTo(new RateLimitProperties(100, 25));
    }

    @Test
    void refusesAZeroRefill() {
        bindingFailure(Binding.class, "spectra.gateway.rate-limit.refill-per-second=0").hasMessageContaining("refillPerSecond");
    }
}
