package dev.spectra.deliveryworker.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @Test
    void bindsDefaults() {
        context.run(context -> assertThat(context.getBean(ResultsProperties.class).bucket()).isEqualTo("spectra-results"));
    }

    @Test
    void bindsOverrides() {
        context.withPropertyValues("spectra.results.bucket=acme-results.eu")
                .run(context -> assertThat(context.getBean(ResultsProperties.class).bucket()).isEqualTo("acme-results.eu"));
    }

    @Test
    void refusesInvalidBucketName() {
        context.withPropertyValues("spectra.results.bucket=Not_A_Bucket").run(context -> assertThat(context).hasFailed());
    }

    @EnableConfigurationProperties(ResultsProperties.class)
    static class Binding {}
}
