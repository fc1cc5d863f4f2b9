package dev.spectra.deploy;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml, checked without a Docker engine: valid against the Compose Specification's schema, only real
 * properties on the Spectra services, pinned images, Dockerfiles that copy jars the build produces, host paths that
 * exist, and Prometheus and Grafana wired to the services and to each other. With Debian's docker-compose or promtool
 * on the PATH, they check the files too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeFileTest {

    private static final int MANAGEMENT_PORT = 8081;
    private static final Set<String> READ_BY_THE_AWS_SDK = ServiceEnvironment.AWS_SDK_VARIABLES;
    /** Services that run once and exit: the only ones others may wait for with service_completed_successfully. */
    private static final Set<String> ONE_SHOT = Set.of("secrets", "init");
    private static final Set<String> PUBLISHED = Set.of("api-gateway-service", "prometheus", "grafana", "s3mock");
    /** The gateway's config tree: each file's name in it is a property. */
    private static final String GATEWAY_SECRETS = "/var/lib/spectra/gateway-secrets/";
    /** Where the dashboards' JSON files are, mounted into Grafana's dashboards provider. */
    private static final String DASHBOARDS = "deploy/grafana/dashboards";
    private static final String PROMETHEUS_CONFIG = "deploy/compose/prometheus.yml";

    private static final YAMLMapper YAML = new YAMLMapper();
    /** Where src/test/resources/compose-spec/compose-spec.json came from (its README). */
    private static final String COMPOSE_SPEC =
            "https://raw.githubusercontent.com/compose-spec/compose-spec/170098ba07d9f53c383a41bfd4c5166b0a4529a6/schema/compose-spec.json";

    private ComposeFile compose;
    private Schema schema;

    @BeforeAll
    void read() throws IOException {
        compose = ComposeFile.read();
        // Read from the test resources, under the address it came from: its relative $id resolves against that, and
        // its references are all within the file, so nothing is fetched.
        try (InputStream in = ComposeFileTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                    .getSchema(SchemaLocation.of(COMPOSE_SPEC), new JsonMapper().readTree(in));
        }
    }

    @Test
    void theFileIsValidAgainstTheComposeSpecification() {
        assertThat(schema.validate(compose.tree())).isEmpty();
    }

    @Test
    void aMisspeltKeyFailsTheSchema() {
        ObjectNode misspeltDependsOn = compose.copy();
        ObjectNode init = (ObjectNode) misspeltDependsOn.path("services").path("init");
        init.set("depend_on", init.remove("depends_on"));
        ObjectNode misspeltInterval = compose.copy();
        ObjectNode healthcheck = (ObjectNode) misspeltInterval.path("services").path("postgres").path("healthcheck");
        healthcheck.set("intervl", healthcheck.remove("interval"));

        assertThat(messages(schema.validate(misspeltDependsOn))).anySatisfy(message -> assertThat(message).contains("depend_on"));
        assertThat(messages(schema.validate(misspeltInterval))).anySatisfy(message -> assertThat(message).contains("intervl"));
    }

    @Test
    void everyVariableAndPropertyArgumentOfASpectraServiceNamesOneOfItsProperties() {
        List<String> unknown = new ArrayList<>();
        Set<Workload> seen = new TreeSet<>();
        for (String service : compose.serviceNames()) {
            Workload.ofModule(service).ifPresent(workload -> {
                seen.add(workload);
                Map<String, String> variables = new LinkedHashMap<>();
                compose.environment(service).keySet().forEach(variable -> variables.put(variable, whereSet(service) + ".environment"));
                for (String argument : compose.command(service)) {
                    Matcher property = Pattern.compile("^--([a-z][\\w.\\[\\]-]*)=").matcher(argument);
                    if (property.find()) {
                        variables.put(KnownProperties.environmentForm(property.group(1)), whereSet(service) + ".command " + argument);
                    }
                }
                unknown.addAll(ServiceEnvironment.unknown(workload, variables, READ_BY_THE_AWS_SDK));
            });
        }

        assertThat(seen).as("the Spectra services in " + ComposeFile.PATH).containsExactly(Workload.values());
        assertThat(compose.environment("api-gateway-service")).containsKeys("SPRING_KAFKA_BOOTSTRAPSERVERS", "SPECTRA_GATEWAY_AUTH_ISSUER");
        assertThat(unknown).isEmpty();
    }

    @Test
    void theGatewaysSecretFilesNameItsPropertiesAndItImportsTheirDirectory() {
        String script = String.join("\n", compose.command("secrets"));
        Matcher file = Pattern.compile(Pattern.quote(GATEWAY_SECRETS) + "([\\w.-]+)").matcher(script);
        Map<String, String> properties = new LinkedHashMap<>();
        while (file.find()) {
            properties.put(KnownProperties.environmentForm(file.group(1)), "the secret file " + file.group());
        }

        assertThat(properties).containsKeys("SPECTRA_GATEWAY_AUTH_HMACSECRET", "SPECTRA_GATEWAY_QUERIES_PAGETOKENSECRET");
        assertThat(ServiceEnvironment.unknown(Workload.GATEWAY, properties, Set.of())).isEmpty();
        assertThat(compose.environment("api-gateway-service")).containsEntry("SPRING_CONFIG_IMPORT", "configtree:" + GATEWAY_SECRETS)
                .doesNotContainKeys("SPECTRA_GATEWAY_AUTH_HMACSECRET", "SPECTRA_GATEWAY_AUTH_JWKSETURI");
    }

    @Test
    void everyImageIsPinnedToAVersionOrBuiltFromTheRepository() {
        for (String service : compose.serviceNames()) {
            String image = compose.service(service).path("image").asString("");
            boolean built = compose.service(service).has("build");
            Matcher reference = Pattern.compile("^([a-z0-9./-]+):([\\w.-]+)$").matcher(image);

            assertThat(reference.matches()).as(service + "'s image " + image + " has a tag").isTrue();
            if (built) {
                assertThat(reference.group(1)).as(service + ", built here, is named as ours").startsWith("spectra/");
            } else {
                assertThat(reference.group(2)).as(service + "'s tag").isNotEqualTo("latest").containsPattern("\\d+\\.\\d+");
            }
        }
    }

    @Test
    void everyBuildCopiesAJarTheMavenBuildProducesAndTheContextAdmits() {
        List<String> ignored = Repository.read(".dockerignore").lines().map(String::strip).toList();
        int builds = 0;
        for (String service : compose.serviceNames()) {
            JsonNode build = compose.service(service).path("build");
            if (build.isMissingNode()) {
                continue;
            }
            builds++;
            assertThat(build.path("context").asString()).as(service + "'s build context").isEqualTo(".");
            String dockerfile = build.path("dockerfile").asString();
            assertThat(Repository.path(dockerfile)).as(service + "'s Dockerfile").isRegularFile();
            Map<String, String> arguments = new LinkedHashMap<>();
            build.path("args").properties().forEach(entry -> arguments.put(entry.getKey(), entry.getValue().asString()));

            List<String> copied = copiedFromTheContext(Repository.read(dockerfile), arguments);
            assertThat(copied).as(service + " copies").hasSize(1);
            String jar = copied.getFirst();
            assertThat(jar).as(service + " copies " + jar).isEqualTo(producedJar(jar.substring(0, jar.indexOf('/'))));
            assertThat(ignored).as(".dockerignore sends " + jar + " to the builder").contains("!" + jar);
        }
        assertThat(builds).as("services built from the repository").isEqualTo(6);
    }

    @Test
    void everyHostPathMountedExistsInTheRepository() {
        List<String> missing = new ArrayList<>();
        for (String service : compose.serviceNames()) {
            for (ComposeFile.Mount mount : compose.mounts(service)) {
                if (mount.isBind() && !Files.exists(Repository.path(mount.repositoryPath()))) {
                    missing.add(service + " mounts " + mount.source());
                } else if (!mount.isBind()) {
                    assertThat(compose.tree().path("volumes").has(mount.source())).as(service + "'s volume " + mount.source() + " is declared").isTrue();
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void onlyTheGatewayPrometheusGrafanaAndTheBucketArePublishedAndOnlyOnLoopback() {
        Map<String, List<String>> published = new LinkedHashMap<>();
        for (String service : compose.serviceNames()) {
            List<String> ports = new ArrayList<>();
            compose.service(service).path("ports").forEach(port -> ports.add(port.asString()));
            if (!ports.isEmpty()) {
                published.put(service, ports);
            }
        }

        assertThat(published).containsOnlyKeys(PUBLISHED);
        assertThat(published.values().stream().flatMap(List::stream)).allMatch(port -> port.startsWith("127.0.0.1:"));
        assertThat(published.get("api-gateway-service")).containsExactly("127.0.0.1:8080:8080");
        // The gateway signs export links for the bucket's published address, and reads it at its own.
        assertThat(published.get("s3mock")).containsExactly("127.0.0.1:9091:9090");
        assertThat(compose.environment("api-gateway-service"))
                .containsEntry("SPECTRA_GATEWAY_RESULTS_LINKENDPOINT", "http://127.0.0.1:9091")
                .containsEntry("SPECTRA_AWS_ENDPOINTS_S3", "http://s3mock:9090");
    }

    @Test
    void servicesWaitOnlyForHealthChecksThatExistAndForOneShotsThatExit() {
        for (String service : compose.serviceNames()) {
            compose.dependencies(service).forEach((dependency, condition) -> {
                assertThat(compose.serviceNames()).as(service + " depends on " + dependency).contains(dependency);
                switch (condition) {
                    case "service_healthy" -> assertThat(compose.service(dependency).has("healthcheck"))
                            .as(service + " waits for " + dependency + "'s health check").isTrue();
                    case "service_completed_successfully" -> assertThat(ONE_SHOT).as(service + " waits for " + dependency + " to exit").contains(dependency);
                    default -> assertThat(condition).isEqualTo("service_started");
                }
            });
        }
        for (Workload workload : Workload.values()) {
            assertThat(compose.dependencies(workload.module)).as(workload.module).containsEntry("init", "service_completed_successfully");
            assertThat(compose.service(workload.module).has("healthcheck")).as(workload.module + " has a health check").isTrue();
        }
    }

    @Test
    void prometheusScrapesExactlyTheThreeServicesOnTheirManagementPortAndLoadsTheAlertRules() {
        JsonNode config = YAML.readTree(Repository.read(PROMETHEUS_CONFIG));
        List<String> targets = new ArrayList<>();
        for (JsonNode job : config.path("scrape_configs")) {
            assertThat(job.path("metrics_path").asString()).as(job.path("job_name").asString()).isEqualTo("/actuator/prometheus");
            job.path("static_configs").forEach(group -> group.path("targets").forEach(target -> targets.add(target.asString())));
            // A target label named like a metric's own (spectra_aws_calls_seconds{service}) would overwrite it, and the
            // dashboards' DynamoDB, S3 and Data API panels would find nothing.
            job.path("static_configs").forEach(group -> assertThat(group.path("labels").has("service"))
                    .as(job.path("job_name").asString() + " labels its targets with service").isFalse());
            assertThat(job.has("relabel_configs")).as(job.path("job_name").asString() + " relabels its targets").isFalse();
        }

        assertThat(targets).containsExactlyInAnyOrderElementsOf(Stream.of(Workload.values()).map(workload -> workload.module + ":" + MANAGEMENT_PORT).toList());
        for (Workload workload : Workload.values()) {
            Map<String, String> environment = compose.environment(workload.module);
            assertThat(environment.getOrDefault("MANAGEMENT_SERVER_PORT", environment.get("SERVER_PORT")))
                    .as(workload.module + "'s management port").isEqualTo(String.valueOf(MANAGEMENT_PORT));
        }

        // The rule file resolves beside the config, in the repository and in the container alike.
        String configInContainer = compose.command("prometheus").stream().filter(argument -> argument.startsWith("--config.file="))
                .findFirst().orElseThrow().substring("--config.file=".length());
        assertThat(compose.hostPathOf("prometheus", configInContainer)).contains(PROMETHEUS_CONFIG);
        List<String> rules = new ArrayList<>();
        config.path("rule_files").forEach(rule -> rules.add(rule.asString()));
        assertThat(rules).isNotEmpty();
        for (String rule : rules) {
            String inContainer = Path.of(configInContainer).resolveSibling(rule).normalize().toString();
            String inRepository = Path.of(PROMETHEUS_CONFIG).resolveSibling(rule).normalize().toString();
            assertThat(inRepository).isEqualTo("deploy/prometheus/alerts.yml");
            assertThat(compose.hostPathOf("prometheus", inContainer)).as("the container's " + inContainer).contains(inRepository);
        }
    }

    @Test
    void grafanaHasThePrometheusDatasourceByUidAndReadsTheMountedDashboards() throws IOException {
        assertThat(compose.hostPathOf("grafana", "/etc/grafana/provisioning")).contains("deploy/grafana/provisioning");
        JsonNode datasources = YAML.readTree(Repository.read("deploy/grafana/provisioning/datasources/prometheus.yml")).path("datasources");
        assertThat(datasources).hasSize(1);
        assertThat(datasources.get(0).path("uid").asString()).isEqualTo("prometheus");
        assertThat(datasources.get(0).path("url").asString()).isEqualTo("http://prometheus:9090");
        assertThat(compose.serviceNames()).contains("prometheus");

        JsonNode providers = YAML.readTree(Repository.read("deploy/grafana/provisioning/dashboards/spectra.yml")).path("providers");
        assertThat(providers).hasSize(1);
        String path = providers.get(0).path("options").path("path").asString();
        assertThat(path).isEqualTo("/var/lib/grafana/dashboards");
        assertThat(compose.hostPathOf("grafana", path)).contains(DASHBOARDS);
        try (Stream<Path> files = Files.list(Repository.path(DASHBOARDS))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .contains("spectra-overview.json", "spectra-tenants.json", "spectra-workers.json");
        }
    }

    @Test
    void debiansDockerComposeAcceptsTheFile() throws Exception {
        assumeTrue(Programs.onPath("docker-compose").isPresent(), "docker-compose is not on the PATH (Debian's package provides it); skipped");
        Process process = new ProcessBuilder("docker-compose", "-f", ComposeFile.PATH, "config", "-q")
                .directory(Repository.ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void promtoolAcceptsThePrometheusConfigAndItsRules() throws Exception {
        assumeTrue(Programs.onPath("promtool").isPresent(), "promtool is not on the PATH; skipped");
        Process process = new ProcessBuilder("promtool", "check", "config", PROMETHEUS_CONFIG)
                .directory(Repository.ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("1 rule files found");
    }

    private static String whereSet(String service) {
        return ComposeFile.PATH + " services." + service;
    }

    /** The sources of every COPY that reads from the build context (not from an earlier stage), arguments substituted. */
    private static List<String> copiedFromTheContext(String dockerfile, Map<String, String> arguments) {
        List<String> sources = new ArrayList<>();
        for (String line : dockerfile.lines().map(String::strip).toList()) {
            if (line.startsWith("COPY ") && !line.contains("--from=")) {
                String source = line.split("\\s+")[1];
                for (Map.Entry<String, String> argument : arguments.entrySet()) {
                    source = source.replace("${" + argument.getKey() + "}", argument.getValue());
                }
                assertThat(source).as("COPY " + source + " has every argument set").doesNotContain("$");
                sources.add(source);
            }
        }
        return sources;
    }

    /** {@code <module>/target/<finalName>.jar}, as the module's pom names it. */
    private static String producedJar(String module) {
        String pom = Repository.read(module + "/pom.xml");
        String artifactId = firstGroup(pom, "</parent>\\s*<artifactId>([^<]+)</artifactId>");
        String finalName = firstGroup(pom, "<finalName>([^<]+)</finalName>").replace("${project.artifactId}", artifactId);
        assertThat(pom).as(module + " is repackaged by Spring Boot (the starter parent binds the goal)").contains("<artifactId>spring-boot-maven-plugin</artifactId>");
        return module + "/target/" + finalName + ".jar";
    }

    private static String firstGroup(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("no match for " + regex);
        }
        return matcher.group(1);
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }
}
