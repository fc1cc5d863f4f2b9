package dev.spectra.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every environment variable the manifests give a service, set directly or through a ConfigMap it reads with
 * envFrom, names a property that service binds: Spring ignores one that names nothing, so a misspelt variable would
 * leave its default in force without a word.
 */
class EnvironmentPropertiesTest {

    /** Every manifest and patch file under k8s/, together: a variable any of them sets. */
    private static final String EVERY_FILE = "k8s";

    static Stream<String> sets() {
        return Stream.of(EVERY_FILE, ManifestSets.LOCAL, ManifestSets.AWS);
    }

    @ParameterizedTest
    @MethodSource("sets")
    void everyEnvironmentVariableNamesAPropertyOfItsService(String set) {
        List<Object> resources = set.equals(EVERY_FILE) ? everyFile() : ManifestSets.load(set).resources();
        Map<Workload, Map<String, String>> variables = environmentVariables(resources);
        List<String> unknown = new ArrayList<>();
        // Only locally are the services given keys, the emulators' dummy ones; on AWS their roles are their credentials.
        Set<String> readByTheAwsSdk = set.equals(ManifestSets.AWS) ? Set.of() : ServiceEnvironment.AWS_SDK_VARIABLES;
        variables.forEach((workload, ofWorkload) -> unknown.addAll(ServiceEnvironment.unknown(workload, ofWorkload, readByTheAwsSdk)));

        assertThat(variables).as("services given an environment").containsOnlyKeys(Workload.values());
        assertThat(variables.get(Workload.GATEWAY)).containsKeys("SPECTRA_GATEWAY_QUERIES_PAGETOKENSECRET", "SPRING_KAFKA_BOOTSTRAPSERVERS");
        assertThat(unknown).isEmpty();
    }

    // Each service refuses to start with both or neither (AuthProperties, WarehouseProperties).
    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void eachServiceIsGivenExactlyOneOfTheSettingsItNeedsExactlyOneOf(String set) {
        Map<Workload, Map<String, String>> variables = environmentVariables(ManifestSets.load(set).resources());

        assertThat(variables.get(Workload.GATEWAY).keySet()).as("the gateway's token check")
                .filteredOn(variable -> Set.of("SPECTRA_GATEWAY_AUTH_JWKSETURI", "SPECTRA_GATEWAY_AUTH_HMACSECRET").contains(variable))
                .hasSize(1);
        assertThat(variables.get(Workload.QUERY_WORKER).keySet()).as("the query worker's warehouse")
                .filteredOn(variable -> Set.of("SPECTRA_WAREHOUSE_CLUSTERIDENTIFIER", "SPECTRA_WAREHOUSE_WORKGROUPNAME").contains(variable))
                .hasSize(1);
    }

    @Test
    void aMisspeltVariableIsRejected() {
        KnownProperties queryWorker = ServiceEnvironment.knownProperties(Workload.QUERY_WORKER);

        assertThat(queryWorker.admits("SPECTRA_AWS_REGION")).isTrue();
        assertThat(queryWorker.admits("SPECTRA_AWS_REGON")).isFalse();
        assertThat(queryWorker.admits("SPRING_KAFKA_BOOTSTRAPSERVER")).isFalse();
    }

    @Test
    void aPropertyOfAnotherServiceIsRejected() {
        assertThat(ServiceEnvironment.knownProperties(Workload.QUERY_WORKER).admits("SPECTRA_WAREHOUSE_DATABASE")).isTrue();
        assertThat(ServiceEnvironment.knownProperties(Workload.GATEWAY).admits("SPECTRA_WAREHOUSE_DATABASE")).isFalse();
        assertThat(ServiceEnvironment.knownProperties(Workload.DELIVERY_WORKER).admits("SPECTRA_GATEWAY_QUERIES_PAGETOKENSECRET")).isFalse();
    }

    @Test
    void aMapPropertyAdmitsAnyKeyButNoEmptyOne() {
        KnownProperties deliveryWorker = ServiceEnvironment.knownProperties(Workload.DELIVERY_WORKER);

        assertThat(deliveryWorker.admits("SPECTRA_AWS_ENDPOINTS_REDSHIFTDATA")).isTrue();
        assertThat(deliveryWorker.admits("SPECTRA_AWS_APICALLATTEMPTTIMEOUT_S3")).isTrue();
        assertThat(deliveryWorker.admits("SPECTRA_AWS_ENDPOINTS_")).isFalse();
        assertThat(deliveryWorker.admits("SPECTRA_AWS_ENDPOINTS")).isFalse();
    }

    @Test
    void onlyTheCanonicalFormOfADashedPropertyIsAdmitted() {
        KnownProperties gateway = ServiceEnvironment.knownProperties(Workload.GATEWAY);

        assertThat(gateway.admits("SPECTRA_GATEWAY_QUERIES_PAGETOKENSECRET")).isTrue();
        assertThat(gateway.admits("SPECTRA_GATEWAY_QUERIES_PAGE_TOKEN_SECRET")).isFalse();
    }

    @Test
    void eachServiceKnowsItsOwnPropertiesBootsAndTheAwsOnes() {
        for (Workload workload : Workload.values()) {
            KnownProperties known = ServiceEnvironment.knownProperties(workload);
            for (String property : List.of("server.port", "management.server.port", "spring.kafka.bootstrap-servers",
                    "spring.kafka.producer.properties", "spectra.aws.region", "spectra.aws.s3-path-style", "spectra.aws.endpoints",
                    "spectra.tables.jobs", "spectra.topics.job-events")) {
                assertThat(known.knows(property)).as(known + " knows " + property).isTrue();
            }
        }
        assertThat(ServiceEnvironment.knownProperties(Workload.GATEWAY).knows("spectra.gateway.queries.page-token-secret")).isTrue();
        assertThat(ServiceEnvironment.knownProperties(Workload.QUERY_WORKER).knows("spectra.results.unload-iam-role")).isTrue();
        assertThat(ServiceEnvironment.knownProperties(Workload.DELIVERY_WORKER).knows("spectra.delivery.upload-part-size")).isTrue();
    }

    /** Each service's variables, with where each is set; several documents of one name add up (a base and its patches). */
    private static Map<Workload, Map<String, String>> environmentVariables(List<Object> resources) {
        Map<String, Map<String, String>> configMaps = new TreeMap<>();
        for (Object resource : resources) {
            if (resource instanceof ConfigMap configMap && configMap.getData() != null) {
                configMap.getData().keySet().forEach(key -> configMaps.computeIfAbsent(configMap.getMetadata().getName(), name -> new TreeMap<>())
                        .put(key, "ConfigMap " + configMap.getMetadata().getName()));
            }
        }
        Map<Workload, Map<String, String>> variables = new EnumMap<>(Workload.class);
        for (Object resource : resources) {
            // The local overlay's emulators are not Spectra's services: LocalOverlayTest checks their environment.
            if (!(resource instanceof Deployment deployment) || Workload.deployedAs(deployment.getMetadata().getName()).isEmpty()) {
                continue;
            }
            Map<String, String> ofWorkload = variables.computeIfAbsent(Workload.named(deployment.getMetadata().getName()), workload -> new TreeMap<>());
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar variable : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                    ofWorkload.put(variable.getName(), "Deployment " + deployment.getMetadata().getName());
                }
                for (EnvFromSource source : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
                    if (source.getConfigMapRef() == null || source.getPrefix() != null) {
                        throw new AssertionError(deployment.getMetadata().getName() + " reads its environment from " + source
                                + ", which this test does not check: read it from a ConfigMap, without a prefix");
                    }
                    Map<String, String> keys = configMaps.get(source.getConfigMapRef().getName());
                    if (keys == null) {
                        throw new AssertionError(deployment.getMetadata().getName() + " reads the missing ConfigMap " + source.getConfigMapRef().getName());
                    }
                    ofWorkload.putAll(keys);
                }
            }
        }
        return variables;
    }

    private static List<Object> everyFile() {
        List<Object> resources = new ArrayList<>();
        for (Path file : Manifests.manifestFiles(Repository.path(EVERY_FILE)).toList()) {
            String relative = Repository.ROOT.relativize(file).toString();
            resources.addAll(StrictManifests.parse(relative, Repository.read(relative)));
        }
        return resources;
    }
}
