package dev.spectra.deliveryworker.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class TablesAndTopicsPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @Test
    void bindsDefaults() {
        context.run(context -> {
            assertThat(context.getBean(TablesProperties.class)).isEqualTo(new TablesProperties("spectra-jobs"));
            assertThat(context.getBean(TopicsProperties.class))
                    .isEqualTo(new TopicsProperties("spectra.statement-results", "spectra.job-events", "spectra.audit"));
        });
    }

    @Test
    void bindsOverrides() {
        context.withPropertyValues(
                        "spectra.tables.jobs=staging-jobs",
                        "spectra.topics.statement-results=staging.statement-results",
                        "spectra.topics.job-events=staging.job-events",
                        "spectra.topics.audit=staging.audit")
                .run(context -> {
                    assertThat(context.getBean(TablesProperties.class)).isEqualTo(new TablesProperties("staging-jobs"));
                    assertThat(context.getBean(TopicsProperties.class))
                            .isEqualTo(new TopicsProperties("staging.statement-results", "staging.job-events", "staging.audit"));
                });
    }

    @Test
    void refusesBlankNames() {
        context.withPropertyValues("spectra.tables.jobs= ").run(context -> assertThat(context).hasFailed());
        context.withPropertyValues("spectra.topics.job-events=").run(context -> assertThat(context).hasFailed());
    }

    @EnableConfigurationProperties({TablesProperties.class, TopicsProperties.class})
    static class Binding {}
}
