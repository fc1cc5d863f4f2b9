package dev.spectra.queryworker.config;

import dev.spectra.common.aws.AwsProperties;
import dev.spectra.common.aws.AwsService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pins every default and shows each setting binds, the way Boot binds them (validation included). */
class ConfigurationPropertiesTest {

    private static final LocalValidatorFactoryBean VALIDATOR = validator();

    @AfterAll
    static void closeValidator() {
        VALIDATOR.close();
    }

    @Test
    void warehouseDefaultsToDatabaseDevAndRequiresExactlyOneTarget() {
        assertThat(bind(WarehouseProperties.class, "spectra.warehouse", Map.of("spectra.warehouse.cluster-identifier", "analytics")))
                .isEqualTo(new WarehouseProperties("analytics", null, "dev"));
        assertThatThrownBy(() -> bind(WarehouseProperties.class, "spectra.warehouse", Map.of()))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> bind(WarehouseProperties.class, "spectra.warehouse", Map.of(
                "spectra.warehouse.cluster-identifier", "analytics",
                "spectra.warehouse.workgroup-name", "serverless")))
                .isInstanceOf(BindException.class);
    }

    @Test
    void resultsDefaultToTheResultsBucketNoRoleAnd128MegabyteFiles() {
        assertThat(bind(ResultsProperties.class, "spectra.results", Map.of()))
                .isEqualTo(new ResultsProperties("spectra-results", null, org.springframework.util.unit.DataSize.ofMegabytes(128)));
    }

    @Test
    void resultsBindARoleArnAndAFileSizeWithinRedshiftsBounds() {
        assertThat(bind(ResultsProperties.class, "spectra.results", Map.of(
                "spectra.results.bucket", "exports",
                "spectra.results.unload-iam-role", "arn:aws:iam::123456789012:role/spectra-unload",
                "spectra.results.max-file-size", "1GB")))
                .isEqualTo(new ResultsProperties("exports", "arn:aws:iam::123456789012:role/spectra-unload",
                        org.springframework.util.unit.DataSize.ofGigabytes(1)));
        assertThatThrownBy(() -> bind(ResultsProperties.class, "spectra.results",
                Map.of("spectra.results.unload-iam-role", "spectra-unload")))
                .as("not an ARN").isInstanceOf(BindException.class);
        assertThatThrownBy(() -> bind(ResultsProperties.class, "spectra.results",
                Map.of("spectra.results.max-file-size", "4MB")))
                .as("under UNLOAD's 5 MB").isInstanceOf(BindException.class);
        assertThatThrownBy(() -> bind(ResultsProperties.class, "spectra.results",
                Map.of("spectra.results.max-file-size", "7GB")))
                .as("over UNLOAD's 6.2 GB").isInstanceOf(BindException.class);
    }

    @Test
    void warehouseBindsOverrides() {
        assertThat(bind(WarehouseProperties.class, "spectra.warehouse", Map.of(
                "spectra.warehouse.workgroup-name", "serverless",
                "spectra.warehouse.database", "sales")))
                .isEqualTo(new WarehouseProperties(null, "serverless", "sales"));
        assertThatThrownBy(() -> bind(WarehouseProperties.class, "spectra.warehouse", Map.of(
                "spectra.warehouse.cluster-identifier", "analytics",
                "spectra.warehouse.database", " ")))
                .isInstanceOf(BindException.class);
    }

    @Test
    void sessionsDefaults() {
        assertThat(bind(SessionsProperties.class, "spectra.sessions", Map.of())).isEqualTo(new SessionsProperties(
                200, Duration.ofMinutes(10), Duration.ofSeconds(30)));
    }

    @Test
    void sessionsBindsOverridesAndRefusesImpossibleValues() {
        assertThat(bind(SessionsProperties.class, "spectra.sessions", Map.of(
                "spectra.sessions.max-open", "40",
                "spectra.sessions.keep-alive", "1h",
                "spectra.sessions.expiry-margin", "1m")))
                .isEqualTo(new SessionsProperties(40, Duration.ofHours(1), Duration.ofMinutes(1)));
        assertThatThrownBy(() -> bind(SessionsProperties.class, "spectra.sessions", Map.of("spectra.sessions.max-open", "0")))
                .isInstanceOf(BindException.class);
        assertThatThrownBy(() -> bind(SessionsProperties.class, "spectra.sessions", Map.of("spectra.sessions.keep-alive", "25h")))
                .isInstanceOf(BindException.class);
        assertThatThrownBy(() -> bind(SessionsProperties.class, "spectra.sessions", Map.of("spectra.sessions.expiry-margin", "10m")))
                .isInstanceOf(BindException.class);
    }

    @Test
    void aRemovedSessionPropertyStopsTheWorkerInsteadOfBeingIgnored() {
        new ApplicationContextRunner()
                .withUserConfiguration(SessionsOnly.class)
                .withPropertyValues("spectra.sessions.max-per-user=8")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("spectra.sessions.max-per-user"));
        new ApplicationContextRunner()
                .withUserConfiguration(SessionsOnly.class)
                .withPropertyValues("spectra.sessions.max-open=50")
                .run(context -> assertThat(context.getBean(SessionsProperties.class).maxOpen()).isEqualTo(50));
    }

    @EnableConfigurationProperties(SessionsProperties.class)
    static class SessionsOnly {
    }

    @Test
    void statementsDefaults() {
        StatementsProperties defaults = bind(StatementsProperties.class, "spectra.statements", Map.of());

        assertThat(defaults).isEqualTo(new StatementsProperties(
                Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(1), 64));
        assertThat(defaults.backoff()).isEqualTo(new dev.spectra.common.retry.Backoff(
                Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.5));
    }

    @Test
    void statementsBindsOverridesAndRefusesImpossibleValues() {
        assertThat(bind(StatementsProperties.class, "spectra.statements", Map.of(
                "spectra.statements.poll-interval", "1s",
                "spectra.statements.timeout", "1h",
                "spectra.statements.retry-backoff", "200ms",
                "spectra.statements.max-retry-backoff", "5s",
                "spectra.statements.send-timeout", "3s",
                "spectra.statements.long-poll-window", "0s",
                "spectra.statements.long-poll-wait", "20s",
                "spectra.statements.max-long-polls", "8")))
                .isEqualTo(new StatementsProperties(
                        Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(3),
                        Duration.ZERO, Duration.ofSeconds(20), 8));
        assertThatThrownBy(() -> bind(StatementsProperties.class, "spectra.statements", Map.of("spectra.statements.timeout", "0s")))
                .isInstanceOf(BindException.class);
        assertThatThrownBy(() -> bind(StatementsProperties.class, "spectra.statements", Map.of("spectra.statements.send-timeout", "0s")))
                .isInstanceOf(BindException.class);
        for (String outsideTheDataApisBounds : List.of("0s", "500ms", "1500ms", "31s")) {
            assertThatThrownBy(() -> bind(StatementsProperties.class, "spectra.statements",
                    Map.of("spectra.statements.long-poll-wait", outsideTheDataApisBounds)))
                    .isInstanceOf(BindException.class);
        }
    }

    @Test
    void leasesDefaultsAndAGeneratedWorkerIdUniquePerStart() {
        LeasesProperties defaults = bind(LeasesProperties.class, "spectra.leases", Map.of());

        assertThat(defaults.duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.renewEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.sweepInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(defaults.deliveryGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.workerId()).isNotBlank()
                .isNotEqualTo(bind(LeasesProperties.class, "spectra.leases", Map.of()).workerId());
        assertThat(bind(LeasesProperties.class, "spectra.leases", Map.of("spectra.leases.worker-id", "qw-1")).workerId())
                .isEqualTo("qw-1");
        assertThatThrownBy(() -> bind(LeasesProperties.class, "spectra.leases", Map.of("spectra.leases.duration", "1s")))
                .isInstanceOf(BindException.class);
    }

    @Test
    void dataApiRatesDefaultsAndOverrides() {
        assertThat(bind(DataApiProperties.class, "spectra.data-api", Map.of())).isEqualTo(new DataApiProperties(20, 80, 10, 128));
        assertThat(bind(DataApiProperties.class, "spectra.data-api", Map.of("spectra.data-api.describes-per-second", "40")))
                .isEqualTo(new DataApiProperties(20, 40, 10, 128));
        assertThatThrownBy(() -> bind(DataApiProperties.class, "spectra.data-api", Map.of("spectra.data-api.executes-per-second", "0")))
                .isInstanceOf(BindException.class);
    }

    @Test
    void schedulingDefaults() {
        assertThat(bind(SchedulingProperties.class, "spectra.scheduling", Map.of()))
                .isEqualTo(new SchedulingProperties(2000, 100, 4));
        assertThatThrownBy(() -> bind(SchedulingProperties.class, "spectra.scheduling", Map.of("spectra.scheduling.max-running", "0")))
                .isInstanceOf(BindException.class);
    }

    @Test
    void theDefaultsRunNoMoreStatementsThanTheWorkerMayOpenSessions() {
        SchedulingProperties scheduling = bind(SchedulingProperties.class, "spectra.scheduling", Map.of());
        SessionsProperties sessions = bind(SessionsProperties.class, "spectra.sessions", Map.of());

        scheduling.requireSessionsFor(sessions);
        assertThatThrownBy(() -> new SchedulingProperties(2000, 201, 4).requireSessionsFor(sessions))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spectra.sessions.max-open");
    }

    @Test
    void awsDefaultsToTheRegionChainAndRealEndpoints() {
        assertThat(bind(AwsProperties.class, "spectra.aws", Map.of())).isEqualTo(AwsProperties.defaults());
    }

    @Test
    void awsBindsEndpointOverridesAndTreatsEmptyAsAbsent() {
        assertThat(bind(AwsProperties.class, "spectra.aws", Map.of(
                "spectra.aws.region", "eu-west-1",
                "spectra.aws.endpoints.dynamodb", "http://localhost:8000",
                "spectra.aws.endpoints.redshift-data", "",
                "spectra.aws.api-call-timeout.redshift-data", "40s")))
                .isEqualTo(new AwsProperties("eu-west-1", Map.of(AwsService.DYNAMODB, URI.create("http://localhost:8000")), false,
                        Map.of(AwsService.REDSHIFT_DATA, Duration.ofSeconds(40)), null));
    }

    @Test
    void tablesAndTopicsDefaultToTheSharedNames() {
        assertThat(bind(TablesProperties.class, "spectra.tables", Map.of())).isEqualTo(new TablesProperties("spectra-jobs"));
        assertThat(bind(TopicsProperties.class, "spectra.topics", Map.of())).isEqualTo(new TopicsProperties(
                "spectra.query-requests", "spectra.statement-results", "spectra.job-events", "spectra.audit"));
    }

    @Test
    void tablesAndTopicsBindOverrides() {
        assertThat(bind(TablesProperties.class, "spectra.tables", Map.of("spectra.tables.jobs", "jobs-eu")))
                .isEqualTo(new TablesProperties("jobs-eu"));
        assertThat(bind(TopicsProperties.class, "spectra.topics", Map.of(
                "spectra.topics.query-requests", "requests",
                "spectra.topics.statement-results", "results",
                "spectra.topics.job-events", "events",
                "spectra.topics.audit", "audit")))
                .isEqualTo(new TopicsProperties("requests", "results", "events", "audit"));
    }

    @Test
    void applicationYmlListsTheBuiltInDefaults() throws IOException {
        List<ConfigurationPropertySource> yml = applicationYml();
        Map<String, String> target = Map.of("spectra.warehouse.cluster-identifier", "analytics");
        List<ConfigurationPropertySource> ymlWithTarget = new ArrayList<>(yml);
        ymlWithTarget.add(new MapConfigurationPropertySource(target));

        assertThat(bind(new Binder(ymlWithTarget), WarehouseProperties.class, "spectra.warehouse"))
                .isEqualTo(bind(WarehouseProperties.class, "spectra.warehouse", target));
        assertThat(bind(new Binder(yml), SessionsProperties.class, "spectra.sessions"))
                .isEqualTo(bind(SessionsProperties.class, "spectra.sessions", Map.of()));
        assertThat(bind(new Binder(yml), SchedulingProperties.class, "spectra.scheduling"))
                .isEqualTo(bind(SchedulingProperties.class, "spectra.scheduling", Map.of()));
        assertThat(bind(new Binder(yml), StatementsProperties.class, "spectra.statements"))
                .isEqualTo(bind(StatementsProperties.class, "spectra.statements", Map.of()));
        assertThat(bind(new Binder(yml), AwsProperties.class, "spectra.aws"))
                .isEqualTo(bind(AwsProperties.class, "spectra.aws", Map.of()));
        assertThat(bind(new Binder(yml), TablesProperties.class, "spectra.tables"))
                .isEqualTo(bind(TablesProperties.class, "spectra.tables", Map.of()));
        assertThat(bind(new Binder(yml), TopicsProperties.class, "spectra.topics"))
                .isEqualTo(bind(TopicsProperties.class, "spectra.topics", Map.of()));
    }

    private static <T> T bind(Class<T> type, String prefix, Map<String, String> properties) {
        return bind(new Binder(new MapConfigurationPropertySource(properties)), type, prefix);
    }

    private static <T> T bind(Binder binder, Class<T> type, String prefix) {
        return binder.bindOrCreate(prefix, Bindable.of(type), new ValidationBindHandler(VALIDATOR));
    }

    private static List<ConfigurationPropertySource> applicationYml() throws IOException {
        List<PropertySource<?>> loaded = new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        ConfigurationPropertySources.from(loaded).forEach(sources::add);
        return sources;
    }

    private static LocalValidatorFactoryBean validator() {
        LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
        validator.afterPropertiesSet();
        return validator;
    }
}
