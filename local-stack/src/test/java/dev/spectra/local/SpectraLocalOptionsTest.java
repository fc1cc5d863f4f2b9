package dev.spectra.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpectraLocalOptionsTest {

    @Test
    void gatewayListensOn8080UnlessToldOtherwise() {
        assertThat(SpectraLocal.Options.parse(new String[0]).gatewayPort()).isEqualTo(8080);
        assertThat(SpectraLocal.Options.parse(new String[] {"--port", "9090"}).gatewayPort()).isEqualTo(9090);
        assertThat(SpectraLocal.Options.parse(new String[] {"--port=9191"}).gatewayPort()).isEqualTo(9191);
    }

    @Test
    void startsPrometheusOnlyWhenAsked() {
        assertThat(SpectraLocal.Options.parse(new String[0]).withPrometheus()).isFalse();
        assertThat(SpectraLocal.Options.parse(new String[] {"--with-prometheus"}).withPrometheus()).isTrue();
        assertThat(SpectraLocal.Options.parse(new String[] {"--port", "9090", "--with-prometheus"}).gatewayPort()).isEqualTo(9090);
        assertThat(SpectraLocal.Options.USAGE).contains("--with-prometheus");
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        assertThatThrownBy(() -> SpectraLocal.Options.parse(new String[] {"--port", "eighty"})).hasMessageContaining("number");
        assertThatThrownBy(() -> SpectraLocal.Options.parse(new String[] {"--port", "70000"})).hasMessageContaining("between");
        assertThatThrownBy(() -> SpectraLocal.Options.parse(new String[] {"--verbose"})).hasMessageContaining("unknown argument");
        assertThatThrownBy(() -> SpectraLocal.Options.parse(new String[] {"--port"})).hasMessageContaining("unknown argument");
    }
}
