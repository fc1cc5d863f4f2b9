package dev.spectra.gateway.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import static dev.spectra.gateway.support.PropertiesBinding.bind;
import static dev.spectra.gateway.support.PropertiesBinding.bindingFailure;
import static org.assertj.core.api.Assertions.assertThat;

class StorageNamesPropertiesTest {

    @EnableConfigurationProperties({TableProperties.class, TopicProperties.class})
    static class Binding {
    }

    @Test
    void bindsDefaultTableNames() {
        assertThat(bind(Binding.class, TableProperties.class))
                .isEqualTo(new TableProperties("spectra-jobs", "spectra-tenants"));
    }

    @Test
    void bindsTableNameOverrides() {
        assertThat(bind(Binding.class, TableProperties.class, "spectra.tables.jobs=jobs-dev", "spectra.tables.tenants=tenants-dev"))
                .isEqualTo(new TableProperties("jobs-dev", "tenants-dev"));
    }

    @Test
    void bindsDefaultTopicNames() {
        assertThat(bind(Binding.class, TopicProperties.class))
                .isEqualTo(new TopicProperties("spectra.query-requests", "spectra.job-events", "spectra.audit"));
    }

    @Test
    void bindsTopicNameOverrides() {
        assertThat(bind(Binding.class, TopicProperties.class,
                "spectra.topics.query-requests=dev.requests", "spectra.topics.job-events=dev.events", "spectra.topics.audit=dev.audit"))
                .isEqualTo(new TopicProperties("dev.requests", "dev.events", "dev.audit"));
    }

    @Test
    void refusesABlankName() {
        bindingFailure(Binding.class, "spectra.tables.jobs= ").hasMessageContaining("jobs");
    }
}
