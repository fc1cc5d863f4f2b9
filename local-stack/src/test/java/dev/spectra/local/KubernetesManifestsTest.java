package dev.spectra.local;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every manifest under {@code k8s/} (base objects and overlay patches) parses into fabric8's typed Kubernetes models
 * with no field the models do not know (a misspelt field would be silently ignored by a lenient apply), and the base
 * keeps the promises of k8s/README.md: probes and scrapes on the management port, requests and limits, a restricted
 * security context, an IRSA-annotated service account and a disruption budget per Deployment, ingress on the API port
 * for the gateway only, and KEDA ceilings that agree with the topics' partition counts.
 */
class KubernetesManifestsTest {

    private static final Path K8S = TestRepository.root().resolve("k8s");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final int MANAGEMENT_PORT = 8081;
    /** docs/DEPLOYING.md's partition counts; the delivery worker runs 3 consumers per pod. */
    private static final Map<String, Integer> CEILINGS = Map.of("spectra-query-worker", 24, "spectra-delivery-worker", 24 / 3);

    @Test
    void everyManifestParsesIntoTypedModelsWithoutUnknownFields() throws IOException {
        List<String> unknown = new ArrayList<>();
        List<Path> files = manifests();
        for (Path file : files) {
            for (HasMetadata object : objectsOf(file)) {
                if (!(object instanceof GenericKubernetesResource)) {
                    unknownFields(object, K8S.relativize(file) + " " + object.getKind() + "/" + object.getMetadata().getName(), unknown,
                            new IdentityHashMap<>());
                }
            }
        }
        assertThat(files).hasSizeGreaterThan(10);
        assertThat(unknown).as("fields the Kubernetes models do not know").isEmpty();
    }

    @Test
    void theCheckerFindsAMisspeltField() {
        HasMetadata misspelt = SERIALIZATION.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          livenessprobe: {httpGet: {path: /, port: 8081}}
                """, HasMetadata.class);
        List<String> unknown = new ArrayList<>();

        unknownFields(misspelt, "test", unknown, new IdentityHashMap<>());

        assertThat(unknown).singleElement().asString().contains("livenessprobe");
    }

    @Test
    void everyDeploymentProbesAndScrapesTheManagementPortWithLimitsARestrictedContextAnAccountAndABudget() throws IOException {
        List<HasMetadata> base = base();
        List<Deployment> deployments = ofKind(base, Deployment.class);
        assertThat(deployments).extracting(deployment -> deployment.getMetadata().getName())
                .containsExactlyInAnyOrder("spectra-gateway", "spectra-query-worker", "spectra-delivery-worker");
        for (Deployment deployment : deployments) {
            String name = deployment.getMetadata().getName();
            var pod = deployment.getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().getFirst();
            assertThat(List.of(container.getLivenessProbe(), container.getReadinessProbe())).as(name).allSatisfy(probe -> {
                assertThat(probe.getHttpGet().getPath()).startsWith("/actuator/health/");
                assertThat(managementPort(container, probe.getHttpGet().getPort().getIntVal(), probe.getHttpGet().getPort().getStrVal()))
                        .isEqualTo(MANAGEMENT_PORT);
            });
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry("prometheus.io/port", Integer.toString(MANAGEMENT_PORT));
            assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).as(name).containsKey("memory");
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(name).contains("ALL");
            assertThat(ofKind(base, ServiceAccount.class)).as(name + "'s service account")
                    .anySatisfy(account -> {
                        assertThat(account.getMetadata().getName()).isEqualTo(pod.getServiceAccountName());
                        assertThat(account.getMetadata().getAnnotations()).containsKey("eks.amazonaws.com/role-arn");
                    });
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(ofKind(base, PodDisruptionBudget.class)).as(name + "'s disruption budget")
                    .anySatisfy(budget -> assertThat(labels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels()));
        }
    }

    @Test
    void onlyTheGatewayAdmitsIngressOnAPortOtherThanTheManagementPort() throws IOException {
        List<NetworkPolicy> policies = ofKind(base(), NetworkPolicy.class);
        assertThat(policies).anySatisfy(policy -> assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty());
        for (NetworkPolicy policy : policies) {
            boolean opensAnApiPort = policy.getSpec().getIngress().stream()
                    .flatMap(rule -> rule.getPorts() == null ? Stream.empty() : rule.getPorts().stream())
                    .anyMatch(port -> port.getPort() != null && !Integer.valueOf(MANAGEMENT_PORT).equals(port.getPort().getIntVal()));
            if (opensAnApiPort) {
                assertThat(policy.getSpec().getPodSelector().getMatchLabels()).as(policy.getMetadata().getName())
                        .containsEntry("app.kubernetes.io/name", "spectra-gateway");
            }
        }
    }

    @Test
    void eachWorkerScalesOnItsConsumerGroupsLagUpToItsPartitionCeiling() throws IOException {
        List<GenericKubernetesResource> scaled = base().stream().filter(object -> "ScaledObject".equals(object.getKind()))
                .map(GenericKubernetesResource.class::cast).toList();
        assertThat(scaled).hasSize(2);
        for (GenericKubernetesResource object : scaled) {
            Map<String, Object> spec = object.get("spec");
            List<Map<String, Object>> triggers = object.get("spec", "triggers");
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) triggers.getFirst().get("metadata");
            String group = (String) metadata.get("consumerGroup");
            assertThat(triggers.getFirst()).containsEntry("type", "kafka");
            assertThat(CEILINGS).containsKey(group);
            assertThat(((Number) spec.get("maxReplicaCount")).intValue()).as(group).isEqualTo(CEILINGS.get(group));
            assertThat(spec.keySet()).as("ScaledObject fields").isSubsetOf("scaleTargetRef", "pollingInterval", "cooldownPeriod",
                    "minReplicaCount", "maxReplicaCount", "idleReplicaCount", "advanced", "triggers", "fallback", "initialCooldownPeriod");
        }
        assertThat(Files.readString(TestRepository.root().resolve("docs/DEPLOYING.md")))
                .as("the partition counts the ceilings follow").containsPattern("spectra\\.query-requests\\D+24")
                .containsPattern("spectra\\.statement-results\\D+24");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "aws"})
    void eachOverlayRendersWithKubectlIntoObjectsWithoutUnknownFields(String overlay) throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not on the PATH");
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String rendered = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kustomize.exitValue()).as("kubectl kustomize overlays/" + overlay).isZero();

        List<String> unknown = new ArrayList<>();
        List<HasMetadata> objects = objectsOf(rendered);
        objects.stream().filter(object -> !(object instanceof GenericKubernetesResource))
                .forEach(object -> unknownFields(object, overlay + " " + object.getKind() + "/" + object.getMetadata().getName(), unknown,
                        new IdentityHashMap<>()));
        assertThat(unknown).isEmpty();
        assertThat(objects).filteredOn(object -> !"Namespace".equals(object.getKind()))
                .allSatisfy(object -> assertThat(object.getMetadata().getNamespace()).as(object.getKind()).isEqualTo("spectra"));
        assertThat(ofKind(objects, Deployment.class)).hasSize(3);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }

    private static int managementPort(Container container, Integer number, String name) {
        if (number != null) {
            return number;
        }
        return container.getPorts().stream().filter(port -> name.equals(port.getName())).findFirst().orElseThrow().getContainerPort();
    }

    private static <T> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<HasMetadata> base() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        for (Path file : manifests()) {
            if (file.startsWith(K8S.resolve("base"))) {
                objects.addAll(objectsOf(file));
            }
        }
        return objects;
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(file -> file.toString().endsWith(".yaml") && !file.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList();
        }
    }

    private static List<HasMetadata> objectsOf(Path file) throws IOException {
        return objectsOf(Files.readString(file));
    }

    private static List<HasMetadata> objectsOf(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
                objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }

    /** Every non-empty {@code additionalProperties} in the object graph: fields the typed model does not have. */
    private static void unknownFields(Object node, String where, List<String> found, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            items.forEach(item -> unknownFields(item, where, found, seen));
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(value -> unknownFields(value, where, found, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add(where + ": " + node.getClass().getSimpleName() + " " + extra.keySet());
                }
            } else if (!Set.of("getMetadata").contains(getter.getName()) || value != null) {
                unknownFields(value, where, found, seen);
            }
        }
    }
}
