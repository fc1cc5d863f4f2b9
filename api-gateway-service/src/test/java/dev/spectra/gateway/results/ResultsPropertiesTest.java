package dev.spectra.gateway.results;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.net.URI;
import java.time.Duration;

import static dev.spectra.gateway.support.PropertiesBinding.bind;
import static dev.spectra.gateway.support.PropertiesBinding.bindingFailure;
import static org.assertj.core.api.Assertions.assertThat;

class ResultsPropertiesTest {

    @EnableConfigurationProperties(ResultsProperties.class)
    static class Binding {
    }

    @Test
    void bindsDefaults() {
        assertThat(bind(Binding.class, ResultsProperties.class))
                .isEqualTo(new ResultsProperties(Duration.ofMinutes(15), DataSize.ofMegabytes(4), Duration.ofSeconds(5), null));
    }

    @Test
    void bindsOverrides() {
        assertThat(bind(Binding.class, ResultsProperties.class,
                "spectra.gateway.results.link-ttl=7d",
                "spectra.gateway.results.max-manifest-size=1KB",
                "spectra.gateway.results.read-timeout=250ms",
                "spectra.gateway.results.link-endpoint=http://127.0.0.1:9091"))
                .isEqualTo(new ResultsProperties(Duration.ofDays(7), DataSize.ofKilobytes(1), Duration.ofMillis(250), URI.create("http://127.0.0.1:9091")));
    }

    @Test
    void refusesALinkTtlBeyondTheSevenDaysSigV4Allows() {
        bindingFailure(Binding.class, "spectra.gateway.results.link-ttl=8d").hasMessageContaining("linkTtl");
    }

    @Test
    void refusesALinkTtlUnderOneSecond() {
        bindingFailure(Binding.class, "spectra.gateway.results.link-ttl=999ms").hasMessageContaining("linkTtl");
    }

    @Test
    void refusesAManifestCapBeyond64Megabytes() {
        bindingFailure(Binding.class, "spectra.gateway.results.max-manifest-size=65MB").hasMessageContaining("max-manifest-size");
    }

    @Test
    void refusesALinkEndpointWithAPathOrWithoutAnHttpScheme() {
        bindingFailure(Binding.class, "spectra.gateway.results.link-endpoint=http://127.0.0.1:9091/spectra-results").hasMessageContaining("link-endpoint");
        bindingFailure(Binding.class, "spectra.gateway.results.link-endpoint=ftp://127.0.0.1:9091").hasMessageContaining("link-endpoint");
        bindingFailure(Binding.class, "spectra.gateway.results.link-endpoint=localhost:9091").hasMessageContaining("link-endpoint");
    }
}
