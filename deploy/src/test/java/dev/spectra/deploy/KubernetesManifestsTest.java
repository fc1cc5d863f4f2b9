package dev.spectra.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The manifests of k8s/ parse strictly into fabric8's models and follow docs/DEPLOYING.md: probes and scrapes on the
 * management port, bounded resources, unprivileged pods, one IAM role per service, disruption budgets, autoscaling
 * within the topics' partitions, and a network that admits only the gateway's API from outside.
 */
class KubernetesManifestsTest {

    private static final int MANAGEMENT_PORT = 8081;
    private static final String ROLE_ARN = "eks.amazonaws.com/role-arn";

    @Test
    void everyManifestAndPatchUnderK8sParsesStrictlyIntoItsModel() {
        List<Path> files = Manifests.manifestFiles(Repository.path("k8s")).toList();
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            String relative = Repository.ROOT.relativize(file).toString();
            try {
                assertThat(StrictManifests.parse(relative, Repository.read(relative))).as(relative).isNotEmpty();
            } catch (IllegalArgumentException | AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertThat(files).extracting(file -> Repository.ROOT.relativize(file).toString())
                .contains("k8s/base/gateway.yaml", "k8s/base/autoscaling.yaml", "k8s/overlays/local/deployments.yaml",
                        "k8s/overlays/local/emulators.yaml", "k8s/overlays/local/init.yaml",
                        "k8s/overlays/aws/config.yaml");
        assertThat(failures).isEmpty();
    }

    @Test
    void aMisspeltFieldFailsTheStrictParse() {
        String misspelt = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: probed
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          image: app
                          livenessprobe:
                            httpGet:
                              path: /actuator/health/liveness
                              port: 8081
                """;

        assertThatThrownBy(() -> StrictManifests.parse("misspelt.yaml", misspelt))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(".spec.template.spec.containers[0].livenessprobe");
        assertThat(StrictManifests.parse("spelt.yaml", misspelt.replace("livenessprobe", "livenessProbe")))
                .singleElement().isInstanceOf(Deployment.class);
    }

    @Test
    void aMisspeltFieldDeepInAModelFailsTheStrictParse() {
        String misspelt = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: ported
                spec:
                  ports:
                    - name: http
                      port: 80
                      targetport: http
                """;

        assertThatThrownBy(() -> StrictManifests.parse("misspelt.yaml", misspelt)).hasMessageContaining(".spec.ports[0].targetport");
    }

    @Test
    void aMisspeltScaledObjectFieldOrKafkaSettingFailsTheStrictParse() {
        String scaledObject = """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: scaled
                spec:
                  scaleTargetRef:
                    name: worker
                  maxReplicaCount: 24
                  triggers:
                    - type: kafka
                      metadata:
                        topic: spectra.query-requests
                        lagThreshold: "50"
                """;

        assertThat(StrictManifests.parse("spelt.yaml", scaledObject)).singleElement().isInstanceOf(ScaledObject.class);
        assertThatThrownBy(() -> StrictManifests.parse("misspelt.yaml", scaledObject.replace("maxReplicaCount", "maxReplicaCout")))
                .hasMessageContaining("maxReplicaCout");
        assertThatThrownBy(() -> StrictManifests.parse("misspelt.yaml", scaledObject.replace("lagThreshold", "lagTreshold")))
                .hasMessageContaining("lagTreshold");
    }

    @Test
    void aValueOfTheWrongTypeFailsTheStrictParse() {
        assertThatThrownBy(() -> StrictManifests.parse("mistyped.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: mistyped
                spec:
                  replicas: many
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicas");
    }

    @Test
    void aKindWithoutAModelIsRefusedRatherThanSkipped() {
        assertThatThrownBy(() -> StrictManifests.parse("ingress.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: unchecked
                """)).hasMessageContaining("no model for networking.k8s.io/v1 Ingress");
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#overlays")
    void eachOverlayRendersWithKubectlAndParsesStrictly(String overlay) {
        Manifests rendered = ManifestSets.load(overlay);

        assertThat(rendered.serviceDeployments()).extracting(deployment -> deployment.getMetadata().getName())
                .containsExactlyInAnyOrder("spectra-gateway", "spectra-query-worker", "spectra-delivery-worker");
        assertThat(rendered.deployments()).extracting(deployment -> deployment.getMetadata().getName())
                .allSatisfy(name -> assertThat(Workload.deployedAs(name).isPresent()
                        || overlay.equals(ManifestSets.LOCAL) && LocalEmulator.named(name).isPresent())
                        .as(name + " is a Spectra service, or in the local overlay one of its emulators").isTrue());
        assertThat(rendered.resources()).allSatisfy(resource -> {
            if (resource instanceof HasMetadata object && !(resource instanceof Namespace)) {
                assertThat(object.getMetadata().getNamespace()).as(object.getMetadata().getName()).isEqualTo("spectra");
            }
        });
    }

    @Test
    void theBaseDeploysEachServiceFromItsImage() {
        Manifests base = ManifestSets.load(ManifestSets.BASE);

        for (Workload workload : Workload.values()) {
            Deployment deployment = base.named(Deployment.class, workload.name)
                    .orElseThrow(() -> new AssertionError("no Deployment " + workload.name));
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                    .extracting(Container::getImage).isEqualTo(workload.image);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void everyDeploymentProbesLivenessAndReadinessOnTheManagementPort(String set) {
        for (Deployment deployment : ManifestSets.load(set).serviceDeployments()) {
            Container container = onlyContainer(deployment);
            String name = deployment.getMetadata().getName();

            assertThat(container.getPorts()).as(name).anySatisfy(port -> {
                assertThat(port.getName()).isEqualTo("management");
                assertThat(port.getContainerPort()).isEqualTo(MANAGEMENT_PORT);
            });
            assertProbe(name + " startup", container, container.getStartupProbe(), "/actuator/health/liveness");
            assertProbe(name + " liveness", container, container.getLivenessProbe(), "/actuator/health/liveness");
            assertProbe(name + " readiness", container, container.getReadinessProbe(), "/actuator/health/readiness");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void everyPodIsScrapedOnTheManagementPort(String set) {
        for (Deployment deployment : ManifestSets.load(set).serviceDeployments()) {
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).as(deployment.getMetadata().getName())
                    .containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/port", String.valueOf(MANAGEMENT_PORT))
                    .containsEntry("prometheus.io/path", "/actuator/prometheus");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void everyContainerRequestsAndLimitsCpuAndMemoryWithItsMemoryLimitAtItsRequest(String set) {
        for (Deployment deployment : ManifestSets.load(set).serviceDeployments()) {
            Container container = onlyContainer(deployment);
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            String name = deployment.getMetadata().getName();

            assertThat(requests).as(name + " requests").containsKeys("cpu", "memory");
            assertThat(limits).as(name + " limits").containsKeys("cpu", "memory");
            // A JVM sizes its heap from the limit (MaxRAMPercentage): memory above the request could be taken back.
            assertThat(limits.get("memory").getNumericalAmount()).as(name + " memory limit")
                    .isEqualByComparingTo(requests.get("memory").getNumericalAmount());
            assertThat(limits.get("cpu").getNumericalAmount()).as(name + " cpu limit")
                    .isGreaterThanOrEqualTo(requests.get("cpu").getNumericalAmount());
            assertThat(container.getEnv()).as(name)
                    .anySatisfy(variable -> assertThat(variable.getName() + "=" + variable.getValue()).isEqualTo("JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void everyPodRunsAsNonRootOnAReadOnlyRootFileSystemWithATmpVolume(String set) {
        for (Deployment deployment : ManifestSets.load(set).serviceDeployments()) {
            String name = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            PodSecurityContext podSecurity = pod.getSecurityContext();
            SecurityContext security = onlyContainer(deployment).getSecurityContext();

            assertThat(podSecurity.getRunAsNonRoot()).as(name + " runAsNonRoot").isTrue();
            assertThat(podSecurity.getRunAsUser()).as(name + " runAsUser").isNotNull().isPositive();
            assertThat(podSecurity.getFsGroup()).as(name + " fsGroup").isNotNull();
            assertThat(podSecurity.getSeccompProfile().getType()).as(name + " seccomp").isEqualTo("RuntimeDefault");
            assertThat(security.getAllowPrivilegeEscalation()).as(name + " allowPrivilegeEscalation").isFalse();
            assertThat(security.getReadOnlyRootFilesystem()).as(name + " readOnlyRootFilesystem").isTrue();
            assertThat(security.getCapabilities().getDrop()).as(name + " capabilities dropped").containsExactly("ALL");
            VolumeMount tmp = onlyContainer(deployment).getVolumeMounts().stream()
                    .filter(mount -> mount.getMountPath().equals("/tmp")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " mounts nothing at /tmp"));
            assertThat(pod.getVolumes()).as(name + " volumes").filteredOn(volume -> volume.getName().equals(tmp.getName()))
                    .singleElement().extracting(Volume::getEmptyDir).isNotNull();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void everyDeploymentRunsAsItsOwnServiceAccountWithItsOwnIamRole(String set) {
        Manifests manifests = ManifestSets.load(set);
        for (Deployment deployment : manifests.serviceDeployments()) {
            String name = deployment.getMetadata().getName();
            String accountName = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();

            assertThat(accountName).as(name + " serviceAccountName").isEqualTo(Workload.named(name).name);
            ServiceAccount account = manifests.named(ServiceAccount.class, accountName)
                    .orElseThrow(() -> new AssertionError(set + " has no ServiceAccount " + accountName));
            assertThat(account.getMetadata().getAnnotations()).as(accountName).containsKey(ROLE_ARN);
            assertThat(account.getMetadata().getAnnotations().get(ROLE_ARN)).as(accountName + " role")
                    .matches("arn:aws:iam::\\w+:role/" + accountName);
        }
    }

    @Test
    void theAwsOverlayNamesTheAccountsRolesAndEcrImages() {
        Manifests aws = ManifestSets.load(ManifestSets.AWS);

        for (Workload workload : Workload.values()) {
            assertThat(aws.named(ServiceAccount.class, workload.name).orElseThrow().getMetadata().getAnnotations())
                    .containsEntry(ROLE_ARN, "arn:aws:iam::ACCOUNT_ID:role/" + workload.name);
            assertThat(onlyContainer(aws.named(Deployment.class, workload.name).orElseThrow()).getImage())
                    .startsWith("ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com/" + workload.image + ":");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void everyDeploymentHasADisruptionBudgetSelectingItsPods(String set) {
        Manifests manifests = ManifestSets.load(set);
        for (Deployment deployment : manifests.serviceDeployments()) {
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

            assertThat(manifests.all(PodDisruptionBudget.class)).as(deployment.getMetadata().getName())
                    .filteredOn(budget -> Selectors.matches(budget.getSpec().getSelector(), podLabels))
                    .singleElement()
                    .satisfies(budget -> assertThat(budget.getSpec().getMinAvailable() != null || budget.getSpec().getMaxUnavailable() != null)
                            .as(budget.getMetadata().getName() + " bounds disruptions").isTrue());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void theGatewayKeepsServingWhileItLeavesItsEndpointsAndFinishesItsRequestsBeforeItIsKilled(String set) {
        PodSpec pod = ManifestSets.load(set).named(Deployment.class, Workload.GATEWAY.name).orElseThrow().getSpec().getTemplate().getSpec();
        Container gateway = pod.getContainers().getFirst();
        long pause = gateway.getLifecycle().getPreStop().getSleep().getSeconds();
        Map<String, String> gatewayProperties = Workload.GATEWAY.applicationProperties();
        long shutdownPhase = Duration.parse("PT" + gatewayProperties.getOrDefault("spring.lifecycle.timeout-per-shutdown-phase", "30s")
                .toUpperCase(Locale.ROOT)).toSeconds();

        assertThat(gatewayProperties).containsEntry("server.shutdown", "graceful");
        assertThat(pause).as("preStop pause").isBetween(1L, 15L);
        assertThat(pod.getTerminationGracePeriodSeconds()).as("the grace period holds the pause and Spring's shutdown phase")
                .isGreaterThan(pause + shutdownPhase);
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void workersHaveAMinuteOrMoreToDrainBeforeTheyAreKilled(String set) {
        for (Deployment deployment : ManifestSets.load(set).serviceDeployments()) {
            if (Workload.named(deployment.getMetadata().getName()).isWorker()) {
                assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                        .as(deployment.getMetadata().getName()).isGreaterThanOrEqualTo(60L);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void eachWorkerScalesOnItsOwnConsumerGroupsLagAndNeverBeyondWhatItsPartitionsFeed(String set) {
        Manifests manifests = ManifestSets.load(set);
        String brokers = manifests.configMap("spectra-common").getData().get("SPRING_KAFKA_BOOTSTRAPSERVERS");
        for (Workload worker : workers()) {
            ScaledObject scaled = manifests.scaledObject(worker.name)
                    .orElseThrow(() -> new AssertionError(set + " has no ScaledObject " + worker.name));
            Map<String, String> kafka = scaled.kafkaTrigger().metadata();
            int partitions = Repository.partitionCount(worker.consumedTopic());

            assertThat(scaled.spec().scaleTargetRef().name()).isEqualTo(worker.name);
            assertThat(manifests.named(Deployment.class, worker.name)).as("the scaled Deployment").isPresent();
            assertThat(kafka).as(worker.name)
                    .containsEntry("consumerGroup", worker.consumerGroup())
                    .containsEntry("topic", worker.consumedTopic())
                    .containsEntry("bootstrapServers", brokers)
                    .containsEntry("allowIdleConsumers", "false")
                    .containsKey("lagThreshold");
            assertThat(manifests.configMap(worker.name).getData())
                    .as("the topic " + worker.name + " is told to read")
                    .containsEntry(KnownProperties.environmentForm(worker.consumedTopicProperty()), worker.consumedTopic());
            assertThat(scaled.spec().minReplicaCount()).as(worker.name + " minReplicaCount").isPositive();
            assertThat(scaled.spec().maxReplicaCount()).as(worker.name + " maxReplicaCount")
                    .isGreaterThanOrEqualTo(scaled.spec().minReplicaCount())
                    .isLessThanOrEqualTo(partitions / worker.consumersPerPod());
            assertThat(scaled.spec().advanced().horizontalPodAutoscalerConfig().behavior().getScaleDown().getStabilizationWindowSeconds())
                    .as(worker.name + " scale-down stabilisation").isPositive();
        }
    }

    /** Read from the overlay's patch as written, so that it is checked without kubectl too. */
    @Test
    void onAwsQueryWorkersAlsoScaleOnTheJobsWaitingInsideThemAsTheWorkersReportThem() {
        YAMLMapper yaml = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        List<ScaledObject.Trigger> added = new ArrayList<>();
        for (JsonNode patch : yaml.readTree(Repository.read("k8s/overlays/aws/kustomization.yaml")).path("patches")) {
            if (patch.path("target").path("kind").asString("").equals("ScaledObject")
                    && patch.path("target").path("name").asString("").equals(Workload.QUERY_WORKER.name)) {
                for (JsonNode operation : yaml.readTree(patch.path("patch").asString())) {
                    assertThat(operation.path("op").asString()).isEqualTo("add");
                    assertThat(operation.path("path").asString()).isEqualTo("/spec/triggers/-");
                    added.add(yaml.treeToValue(operation.path("value"), ScaledObject.Trigger.class));
                }
            }
        }
        String application = Workload.QUERY_WORKER.applicationProperties().get("management.metrics.tags.application");
        int runningPerPod = Integer.parseInt(ManifestSets.load(ManifestSets.BASE).configMap(Workload.QUERY_WORKER.name).getData()
                .get("SPECTRA_SCHEDULING_MAXRUNNING"));

        assertThat(added).as("triggers the aws overlay adds to " + Workload.QUERY_WORKER.name).singleElement().satisfies(backlog -> {
            assertThat(backlog.type()).isEqualTo("prometheus");
            assertThat(backlog.metadata().get("query")).isEqualTo("sum(spectra_scheduler_waiting{application=\"" + application + "\"})");
            assertThat(Integer.parseInt(backlog.metadata().get("threshold"))).as("waiting jobs per pod before another pod comes")
                    .isGreaterThanOrEqualTo(runningPerPod);
            assertThat(backlog.metadata()).containsKey("serverAddress");
        });
        assertThat(Repository.read("query-worker/src/main/java/dev/spectra/queryworker/scheduling/FairScheduler.java"))
                .as("the gauge the query names").contains("\"spectra.scheduler.waiting\"");
    }

    @Test
    void theBaseAndTheLocalOverlayScaleOnKafkaAloneNeedingNoPrometheus() {
        for (String set : List.of(ManifestSets.BASE, ManifestSets.LOCAL)) {
            for (Workload worker : workers()) {
                assertThat(ManifestSets.load(set).scaledObject(worker.name).orElseThrow().spec().triggers())
                        .as(set + " " + worker.name).extracting(ScaledObject.Trigger::type).containsOnly("kafka");
            }
        }
    }

    @Test
    void aPrometheusTriggerWithAMisspeltKeyFailsTheParse() {
        assertThatThrownBy(() -> new ScaledObject.Trigger("prometheus", null, null, null,
                Map.of("serverAddress", "http://prometheus:9090", "query", "up", "treshold", "40"), null))
                .hasMessageContaining("treshold");
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void theQueryWorkerFleetAtItsCeilingHoldsNoMoreWarehouseConnectionsThanTheBudget(String set) {
        Manifests manifests = ManifestSets.load(set);
        Map<String, String> config = manifests.configMap(Workload.QUERY_WORKER.name).getData();
        Map<String, String> defaults = Workload.QUERY_WORKER.applicationProperties();
        int sessionsPerPod = Integer.parseInt(config.getOrDefault("SPECTRA_SESSIONS_MAXOPEN", defaults.get("spectra.sessions.max-open")));
        int runningPerPod = Integer.parseInt(config.getOrDefault("SPECTRA_SCHEDULING_MAXRUNNING", defaults.get("spectra.scheduling.max-running")));
        int ceiling = manifests.scaledObject(Workload.QUERY_WORKER.name).orElseThrow().spec().maxReplicaCount();

        assertThat(ceiling * sessionsPerPod).as(set + ": " + ceiling + " pods × " + sessionsPerPod + " sessions")
                .isLessThanOrEqualTo(Repository.warehouseConnectionBudget());
        assertThat(runningPerPod).as(set + ": statements running per pod, each on a session").isLessThanOrEqualTo(sessionsPerPod);
    }

    @Test
    void theBaseScalesEachWorkerUpToExactlyTheConsumersItsTopicsPartitionsFeed() {
        Manifests base = ManifestSets.load(ManifestSets.BASE);

        assertThat(Repository.partitionCount("spectra.query-requests")).isEqualTo(24);
        assertThat(Repository.partitionCount("spectra.statement-results")).isEqualTo(24);
        for (Workload worker : workers()) {
            ScaledObject scaled = base.scaledObject(worker.name).orElseThrow();
            assertThat(scaled.spec().maxReplicaCount() * worker.consumersPerPod()).as(worker.name + " consumers at most")
                    .isEqualTo(Repository.partitionCount(worker.consumedTopic()));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void theGatewayScalesOnCpuFromTwoReplicasOrPinnedToOneLocally(String set) {
        HorizontalPodAutoscaler autoscaler = ManifestSets.load(set).named(HorizontalPodAutoscaler.class, Workload.GATEWAY.name)
                .orElseThrow(() -> new AssertionError(set + " has no HorizontalPodAutoscaler for the gateway"));

        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(Workload.GATEWAY.name);
        assertThat(autoscaler.getSpec().getMetrics()).singleElement().satisfies(metric -> {
            assertThat(metric.getResource().getName()).isEqualTo("cpu");
            assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
        });
        if (set.equals(ManifestSets.LOCAL)) {
            assertThat(autoscaler.getSpec().getMaxReplicas()).isEqualTo(1);
        } else {
            assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(2);
            assertThat(autoscaler.getSpec().getMaxReplicas()).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void theNamespaceDeniesAllTrafficThatNoPolicyAdmits(String set) {
        assertThat(ManifestSets.load(set).all(NetworkPolicy.class))
                .anySatisfy(policy -> {
                    assertThat(Selectors.selectsEverything(policy.getSpec().getPodSelector())).isTrue();
                    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
                    assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
                    assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
                });
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void onlyTheGatewayAdmitsIngressOnAPortOtherThanManagementAndManagementOnlyFromSomewhere(String set) {
        Manifests manifests = ManifestSets.load(set);
        List<String> gatewayApiAdmissions = new ArrayList<>();
        for (NetworkPolicy policy : manifests.all(NetworkPolicy.class)) {
            List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress() == null ? List.of() : policy.getSpec().getIngress();
            List<Workload> selected = manifests.serviceDeployments().stream()
                    .filter(deployment -> Selectors.matches(policy.getSpec().getPodSelector(), deployment.getSpec().getTemplate().getMetadata().getLabels()))
                    .map(deployment -> Workload.named(deployment.getMetadata().getName()))
                    .toList();
            if (selected.isEmpty()) {
                // One of the local overlay's emulators: LocalOverlayTest checks who may reach them.
                continue;
            }
            for (NetworkPolicyIngressRule rule : rules) {
                String where = policy.getMetadata().getName() + " admitting " + ports(rule);
                if (admitsOnlyManagement(rule)) {
                    assertThat(rule.getFrom()).as(where + ": the actuator from anywhere").isNotEmpty();
                } else {
                    assertThat(selected).as(where).containsOnly(Workload.GATEWAY);
                    if (ports(rule).contains("8080")) {
                        gatewayApiAdmissions.add(where);
                    }
                }
            }
        }
        assertThat(gatewayApiAdmissions).as("policies admitting the gateway's API").isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.spectra.deploy.ManifestSets#all")
    void everyPodMayResolveNamesAndReachKafkaAndHttpsEndpoints(String set) {
        Manifests manifests = ManifestSets.load(set);
        for (Deployment deployment : manifests.serviceDeployments()) {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            List<String> egressPorts = manifests.all(NetworkPolicy.class).stream()
                    .filter(policy -> Selectors.matches(policy.getSpec().getPodSelector(), labels))
                    .filter(policy -> policy.getSpec().getEgress() != null)
                    .flatMap(policy -> policy.getSpec().getEgress().stream())
                    .flatMap(rule -> rule.getPorts() == null ? Stream.<NetworkPolicyPort>empty() : rule.getPorts().stream())
                    .map(port -> port.getProtocol() + "/" + port.getPort().getValue())
                    .toList();
            assertThat(egressPorts).as(deployment.getMetadata().getName()).contains("UDP/53", "TCP/53", "TCP/9092", "TCP/443");
        }
    }

    private static List<Workload> workers() {
        return Arrays.stream(Workload.values()).filter(Workload::isWorker).toList();
    }

    private static Container onlyContainer(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as(deployment.getMetadata().getName() + " containers").hasSize(1);
        return containers.getFirst();
    }

    private static void assertProbe(String what, Container container, Probe probe, String path) {
        if (probe == null || probe.getHttpGet() == null) {
            fail(what + " probe is missing or not an HTTP GET");
        }
        assertThat(probe.getHttpGet().getPath()).as(what + " path").isEqualTo(path);
        assertThat(portNumber(container, probe.getHttpGet().getPort())).as(what + " port").isEqualTo(MANAGEMENT_PORT);
    }

    private static int portNumber(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream()
                .filter(named -> port.getStrVal().equals(named.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + port.getStrVal()));
    }

    // A rule without ports admits every port.
    private static boolean admitsOnlyManagement(NetworkPolicyIngressRule rule) {
        return rule.getPorts() != null && !rule.getPorts().isEmpty()
                && rule.getPorts().stream().allMatch(port -> port.getPort() != null
                        && (Integer.valueOf(MANAGEMENT_PORT).equals(port.getPort().getIntVal()) || "management".equals(port.getPort().getStrVal())));
    }

    private static String ports(NetworkPolicyIngressRule rule) {
        return rule.getPorts() == null || rule.getPorts().isEmpty() ? "every port"
                : rule.getPorts().stream().map(port -> String.valueOf(port.getPort().getValue())).toList().toString();
    }
}
