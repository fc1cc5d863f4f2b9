package dev.spectra.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/overlays/local as kubectl renders it: every endpoint its pods are pointed at is a Service of the overlay, on that
 * port, in front of a pod that listens there, and the network policies let the caller through; the emulators run
 * docker-compose.yml's images, as unprivileged as each image allows; the secrets are nobody's literals, and each is
 * read from one key by all that need it. The aws overlay has none of it.
 */
class LocalOverlayTest {

    /** Variables that name a host:port, or a list or URL of them, that a pod of the overlay calls. */
    private static final Pattern ENDPOINT_VARIABLE =
            Pattern.compile("SPECTRA_AWS_ENDPOINTS_\\w+|SPRING_KAFKA_BOOTSTRAPSERVERS|KAFKA_BOOTSTRAP_SERVERS|\\w+_ENDPOINT");
    private static final Pattern HOST_AND_PORT = Pattern.compile("^(?:\\w+://)?([\\w.-]+):(\\d+)(?:/.*)?$");
    /** What an init container's bash waits on: {@code /dev/tcp/host/port}. */
    private static final Pattern BASH_CONNECTION = Pattern.compile("/dev/tcp/([\\w.-]+)/(\\d+)");
    private static final Pattern PINNED_IMAGE = Pattern.compile("^[a-z0-9./-]+:([\\w.-]+)$");
    private static final Pattern CREATE_SECRET = Pattern.compile("create secret generic ([\\w-]+)((?: --from-literal=\\S+)+)");
    private static final Pattern FROM_LITERAL = Pattern.compile("--from-literal=([\\w-]+)=");
    /** Containers whose image writes to its root file system; emulators.yaml says why for each. */
    private static final Set<String> WRITE_THEIR_ROOT_FILE_SYSTEM = Set.of("kafka");

    @Test
    void everyEndpointAPodIsPointedAtIsAServiceOfTheOverlayOnThatPortInFrontOfAPodListeningThere() {
        Manifests local = ManifestSets.load(ManifestSets.LOCAL);
        List<String> failures = new ArrayList<>();
        Set<String> endpoints = new TreeSet<>();
        for (Pod pod : pods(local)) {
            for (String endpoint : endpoints(pod, local)) {
                endpoints.add(endpoint);
                listener(local, endpoint).ifPresentOrElse(listener -> { }, () -> failures.add(pod.name + " calls " + endpoint
                        + ", which is no Service of the overlay on that port selecting a pod that exposes its target port"));
            }
        }

        assertThat(endpoints).as("the endpoints the overlay's pods call")
                .containsExactlyInAnyOrderElementsOf(Stream.of(LocalEmulator.values()).map(LocalEmulator::endpoint).toList());
        assertThat(failures).isEmpty();
    }

    @Test
    void theNetworkPoliciesLetEveryPodLookUpAndReachEachEndpointItIsPointedAtAndTheEndpointAdmitIt() {
        Manifests local = ManifestSets.load(ManifestSets.LOCAL);
        List<NetworkPolicy> policies = local.all(NetworkPolicy.class);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Pod pod : pods(local)) {
            if (!endpoints(pod, local).isEmpty() && !NetworkPolicies.admitsDnsLookups(policies, pod.labels())) {
                failures.add("no policy lets " + pod.name + " look its endpoints' names up (UDP 53 to kube-system)");
            }
            for (String endpoint : endpoints(pod, local)) {
                Optional<Listener> listener = listener(local, endpoint);
                if (listener.isEmpty()) {
                    continue;
                }
                checked++;
                Map<String, String> target = listener.get().pod().template.getMetadata().getLabels();
                int port = listener.get().containerPort();
                if (!NetworkPolicies.admitsEgress(policies, pod.labels(), target, port)) {
                    failures.add("no policy lets " + pod.name + " call " + endpoint);
                }
                if (!NetworkPolicies.admitsIngress(policies, target, pod.labels(), port)) {
                    failures.add("no policy lets " + listener.get().pod().name + " take " + pod.name + "'s calls on " + port);
                }
            }
        }

        assertThat(checked).as("pod to endpoint calls checked").isGreaterThanOrEqualTo(LocalEmulator.values().length);
        assertThat(failures).isEmpty();
    }

    @Test
    void theNetworkPoliciesAdmitNoCallNobodyIsPointedAt() {
        Manifests local = ManifestSets.load(ManifestSets.LOCAL);
        List<NetworkPolicy> policies = local.all(NetworkPolicy.class);
        Deployment postgres = local.named(Deployment.class, LocalEmulator.POSTGRES.name).orElseThrow();
        Deployment gateway = local.named(Deployment.class, Workload.GATEWAY.name).orElseThrow();
        Map<String, String> postgresLabels = postgres.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> gatewayLabels = gateway.getSpec().getTemplate().getMetadata().getLabels();

        // Only init and the Data API emulator hold the warehouse's password: no service reaches PostgreSQL.
        assertThat(NetworkPolicies.admitsEgress(policies, gatewayLabels, postgresLabels, LocalEmulator.POSTGRES.port)).isFalse();
        assertThat(NetworkPolicies.admitsIngress(policies, postgresLabels, gatewayLabels, LocalEmulator.POSTGRES.port)).isFalse();
        // The emulators call no service, and nothing but the DNS and their neighbours' ports.
        assertThat(NetworkPolicies.admitsEgress(policies, postgresLabels, gatewayLabels, 8080)).isFalse();
    }

    @Test
    void everyRuleOfTheLocalPoliciesNamesItsPortsAndPeersAndNoPeerIsEveryPod() {
        List<NetworkPolicy> policies = StrictManifests.parse("k8s/overlays/local/networkpolicy.yaml",
                Repository.read("k8s/overlays/local/networkpolicy.yaml")).stream().map(NetworkPolicy.class::cast).toList();
        List<String> failures = new ArrayList<>();
        for (NetworkPolicy policy : policies) {
            Stream.concat(
                    Optional.ofNullable(policy.getSpec().getEgress()).orElse(List.of()).stream()
                            .map(rule -> new Rule(policy.getMetadata().getName() + " egress", rule.getTo(), rule.getPorts())),
                    Optional.ofNullable(policy.getSpec().getIngress()).orElse(List.of()).stream()
                            .map(rule -> new Rule(policy.getMetadata().getName() + " ingress", rule.getFrom(), rule.getPorts())))
                    .forEach(rule -> {
                        if (rule.ports() == null || rule.ports().isEmpty()) {
                            failures.add(rule.where() + " admits every port");
                        }
                        if (rule.peers() == null || rule.peers().isEmpty()
                                || rule.peers().stream().anyMatch(peer -> peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                                        && Selectors.selectsEverything(peer.getPodSelector()))) {
                            failures.add(rule.where() + " admits every pod");
                        }
                    });
        }

        assertThat(policies).isNotEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void everySpectraServiceWaitsForTheDataApiEmulatorWhichOpensOnlyOnceInitHasProvisioned() {
        Manifests local = ManifestSets.load(ManifestSets.LOCAL);

        for (Deployment deployment : local.serviceDeployments()) {
            List<Container> initContainers = Optional.ofNullable(deployment.getSpec().getTemplate().getSpec().getInitContainers()).orElse(List.of());
            assertThat(initContainers).as(deployment.getMetadata().getName() + "'s init containers")
                    .anySatisfy(container -> assertThat(bashConnections(container)).contains(LocalEmulator.DATA_API_EMULATOR.endpoint()));
        }
    }

    @Test
    void theEmulatorsAndInitRunTheImagesOfDockerComposeYml() {
        Manifests local = ManifestSets.load(ManifestSets.LOCAL);
        ComposeFile compose = ComposeFile.read();

        for (LocalEmulator emulator : LocalEmulator.values()) {
            Deployment deployment = local.named(Deployment.class, emulator.name)
                    .orElseThrow(() -> new AssertionError("the local overlay has no Deployment " + emulator.name));
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).as(emulator.name).singleElement()
                    .extracting(Container::getImage).isEqualTo(compose.service(emulator.name).path("image").asString());
        }
        assertThat(initJob(local).getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .extracting(Container::getImage).isEqualTo(compose.service(LocalEmulator.INIT_COMPOSE_SERVICE).path("image").asString());
    }

    @Test
    void everyImageOfTheOverlayIsPinnedToATagOtherThanLatest() {
        List<String> images = pods(ManifestSets.load(ManifestSets.LOCAL)).stream()
                .flatMap(pod -> containers(pod.spec()).stream())
                .map(Container::getImage)
                .toList();

        assertThat(images).hasSizeGreaterThan(LocalEmulator.values().length).allSatisfy(image -> {
            Matcher pinned = PINNED_IMAGE.matcher(image);
            assertThat(pinned.matches()).as(image + " has a tag").isTrue();
            assertThat(pinned.group(1)).as(image).isNotEqualTo("latest");
        });
    }

    @Test
    void initAndTheDataApiEmulatorAreGivenTheVariablesComposeGivesThemWithTheSameValuesButTheFilesPaths() {
        Manifests local = ManifestSets.load(ManifestSets.LOCAL);
        ComposeFile compose = ComposeFile.read();
        Map<String, Container> containers = Map.of(
                LocalEmulator.INIT_COMPOSE_SERVICE, initJob(local).getSpec().getTemplate().getSpec().getContainers().getFirst(),
                LocalEmulator.DATA_API_EMULATOR.name,
                local.named(Deployment.class, LocalEmulator.DATA_API_EMULATOR.name).orElseThrow().getSpec().getTemplate().getSpec().getContainers().getFirst());

        containers.forEach((composeService, container) -> {
            Map<String, String> expected = new LinkedHashMap<>(compose.environment(composeService));
            Map<String, String> actual = new LinkedHashMap<>();
            container.getEnv().forEach(variable -> actual.put(variable.getName(), variable.getValue()));
            // Where a file is mounted is the pod's own business: the secrets' volumes differ from compose's.
            expected.replaceAll((name, value) -> name.endsWith("_FILE") ? "a path" : value);
            actual.replaceAll((name, value) -> name.endsWith("_FILE") ? "a path" : value);

            assertThat(actual).as(composeService).isEqualTo(expected);
        });
    }

    @Test
    void theOverlayHoldsNoSecretAndTheWarehousePasswordAndTokenKeyAreEachReadFromOneKeyByAllThatNeedThem() {
        Manifests local = ManifestSets.load(ManifestSets.LOCAL);
        Pod postgres = pod(local, LocalEmulator.POSTGRES.name);
        Pod emulator = pod(local, LocalEmulator.DATA_API_EMULATOR.name);
        Pod init = pods(local).stream().filter(pod -> pod.name.equals("Job " + LocalEmulator.INIT_JOB)).findFirst().orElseThrow();
        Pod gateway = pod(local, Workload.GATEWAY.name);
        SecretKey password = new SecretKey("spectra-warehouse", "administrator-password");
        SecretKey tokenKey = new SecretKey("spectra-gateway", "hmac-secret");

        assertThat(local.all(Secret.class)).as("Secrets the overlay writes").isEmpty();
        assertThat(secretFile(postgres, "POSTGRES_PASSWORD_FILE")).isEqualTo(password);
        assertThat(secretFile(emulator, "WAREHOUSE_ADMINISTRATOR_PASSWORD_FILE")).isEqualTo(password);
        assertThat(secretFile(init, "WAREHOUSE_ADMINISTRATOR_PASSWORD_FILE")).isEqualTo(password);
        assertThat(secretFile(init, "GATEWAY_HMAC_SECRET_FILE")).isEqualTo(tokenKey);
        EnvVar gatewayKey = gateway.spec().getContainers().getFirst().getEnv().stream()
                .filter(variable -> variable.getName().equals("SPECTRA_GATEWAY_AUTH_HMACSECRET")).findFirst()
                .orElseThrow(() -> new AssertionError("the gateway is given no SPECTRA_GATEWAY_AUTH_HMACSECRET"));
        assertThat(new SecretKey(gatewayKey.getValueFrom().getSecretKeyRef().getName(), gatewayKey.getValueFrom().getSecretKeyRef().getKey()))
                .isEqualTo(tokenKey);
    }

    @Test
    void everySecretKeyTheOverlayReadsIsOneTheReadmeTellsTheUserToCreate() {
        Comparator<SecretKey> bySecretAndKey = Comparator.comparing(SecretKey::secret).thenComparing(SecretKey::key);
        Set<SecretKey> read = new TreeSet<>(bySecretAndKey);
        for (Pod pod : pods(ManifestSets.load(ManifestSets.LOCAL))) {
            for (Container container : containers(pod.spec())) {
                Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                        .filter(variable -> variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null)
                        .map(variable -> variable.getValueFrom().getSecretKeyRef())
                        .forEach(reference -> read.add(new SecretKey(reference.getName(), reference.getKey())));
            }
            for (Volume volume : Optional.ofNullable(pod.spec().getVolumes()).orElse(List.of())) {
                if (volume.getSecret() != null) {
                    assertThat(volume.getSecret().getItems()).as(pod.name + "'s volume " + volume.getName() + " names the keys it mounts").isNotEmpty();
                    volume.getSecret().getItems().forEach(item -> read.add(new SecretKey(volume.getSecret().getSecretName(), item.getKey())));
                }
            }
        }
        Set<SecretKey> created = new TreeSet<>(bySecretAndKey);
        Matcher command = CREATE_SECRET.matcher(Repository.read("k8s/README.md"));
        while (command.find()) {
            Matcher literal = FROM_LITERAL.matcher(command.group(2));
            while (literal.find()) {
                created.add(new SecretKey(command.group(1), literal.group(1)));
            }
        }

        assertThat(read).as("the Secrets' keys the overlay's pods read").hasSizeGreaterThanOrEqualTo(3);
        assertThat(created).as("the keys k8s/README.md creates").containsExactlyElementsOf(read);
    }

    @Test
    void kafkaIsConfiguredAsInComposeButForItsControllerOnLoopbackItsLogDirectoryAndItsHeap() {
        Container kafka = pod(ManifestSets.load(ManifestSets.LOCAL), LocalEmulator.KAFKA.name).spec().getContainers().getFirst();
        Map<String, String> actual = new LinkedHashMap<>();
        kafka.getEnv().forEach(variable -> actual.put(variable.getName(), variable.getValue()));
        Map<String, String> expected = new LinkedHashMap<>(ComposeFile.read().environment(LocalEmulator.KAFKA.name));
        expected.put("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093");
        expected.put("KAFKA_LOG_DIRS", "/var/lib/kafka/data");
        expected.put("KAFKA_HEAP_OPTS", "-Xms512m -Xmx512m");

        assertThat(actual).isEqualTo(expected).containsEntry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + LocalEmulator.KAFKA.endpoint())
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        assertThat(kafka.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains(actual.get("KAFKA_LOG_DIRS"));
    }

    @Test
    void theEmulatorsAndInitRunUnprivilegedWithBoundedResourcesAndTheDeploymentsProbed() {
        Manifests local = ManifestSets.load(ManifestSets.LOCAL);
        List<Pod> pods = pods(local).stream().filter(pod -> !pod.isSpectraService()).toList();

        assertThat(pods).hasSize(LocalEmulator.values().length + 1);
        for (Pod pod : pods) {
            PodSpec spec = pod.spec();
            assertThat(spec.getSecurityContext().getRunAsNonRoot()).as(pod.name + " runAsNonRoot").isTrue();
            assertThat(spec.getSecurityContext().getRunAsUser()).as(pod.name + " runAsUser").isNotNull().isPositive();
            assertThat(spec.getSecurityContext().getSeccompProfile().getType()).as(pod.name + " seccomp").isEqualTo("RuntimeDefault");
            assertThat(spec.getAutomountServiceAccountToken()).as(pod.name + " mounts no API token").isFalse();
            // Kafka's image would read the Service kafka's KAFKA_PORT... links as broker settings.
            assertThat(spec.getEnableServiceLinks()).as(pod.name + " enableServiceLinks").isFalse();
            for (Container container : containers(spec)) {
                assertUnprivilegedAndBounded(pod.name + " " + container.getName(), container);
                if (pod.isDeployment()) {
                    assertThat(container.getReadinessProbe()).as(pod.name + " readiness").isNotNull();
                    assertThat(container.getLivenessProbe()).as(pod.name + " liveness").isNotNull();
                }
            }
        }
    }

    // The services' own containers are KubernetesManifestsTest's; the init containers the local overlay adds are not.
    @Test
    void theServicesInitContainersRunUnprivilegedWithBoundedResources() {
        List<Pod> services = pods(ManifestSets.load(ManifestSets.LOCAL)).stream().filter(Pod::isSpectraService).toList();

        assertThat(services).hasSize(Workload.values().length);
        for (Pod pod : services) {
            assertThat(pod.spec().getInitContainers()).as(pod.name + "'s init containers").isNotEmpty()
                    .allSatisfy(container -> assertUnprivilegedAndBounded(pod.name + " " + container.getName(), container));
        }
    }

    @Test
    void theAwsOverlayRunsNoneOfTheEmulatorsNorInit() {
        Manifests aws = ManifestSets.load(ManifestSets.AWS);
        Set<String> emulatorImages = new TreeSet<>();
        ComposeFile compose = ComposeFile.read();
        for (LocalEmulator emulator : LocalEmulator.values()) {
            emulatorImages.add(compose.service(emulator.name).path("image").asString());
            assertThat(aws.named(Deployment.class, emulator.name)).as("the aws overlay's Deployment " + emulator.name).isEmpty();
            assertThat(aws.named(Service.class, emulator.name)).as("the aws overlay's Service " + emulator.name).isEmpty();
        }

        assertThat(aws.all(Job.class)).isEmpty();
        assertThat(pods(aws)).flatExtracting(pod -> containers(pod.spec())).extracting(Container::getImage)
                .isNotEmpty().doesNotContainAnyElementsOf(emulatorImages);
    }

    @Test
    void anEndpointWithoutAServiceOnItsPortIsFound() {
        Manifests local = ManifestSets.load(ManifestSets.LOCAL);

        assertThat(listener(local, "dynamodb-local:8000")).isPresent();
        assertThat(listener(local, "dynamodb-local:8001")).isEmpty();
        assertThat(listener(local, "dynamo-local:8000")).isEmpty();
    }

    /** A pod template of a Deployment or a Job, under {@code Kind name}. */
    private record Pod(String name, PodTemplateSpec template) {
        PodSpec spec() {
            return template.getSpec();
        }

        Map<String, String> labels() {
            return template.getMetadata().getLabels();
        }

        boolean isDeployment() {
            return name.startsWith("Deployment ");
        }

        boolean isSpectraService() {
            return isDeployment() && Workload.deployedAs(name.substring("Deployment ".length())).isPresent();
        }
    }

    /** A Service's port, the pod it selects and the container port that port reaches. */
    private record Listener(Pod pod, int containerPort) {
    }

    private record SecretKey(String secret, String key) {
    }

    private record Rule(String where, List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
    }

    private static List<Pod> pods(Manifests manifests) {
        List<Pod> pods = new ArrayList<>();
        manifests.deployments().forEach(deployment -> pods.add(new Pod("Deployment " + deployment.getMetadata().getName(), deployment.getSpec().getTemplate())));
        manifests.all(Job.class).forEach(job -> pods.add(new Pod("Job " + job.getMetadata().getName(), job.getSpec().getTemplate())));
        return pods;
    }

    private static Pod pod(Manifests manifests, String deployment) {
        return pods(manifests).stream().filter(pod -> pod.name.equals("Deployment " + deployment)).findFirst()
                .orElseThrow(() -> new AssertionError(manifests + " has no Deployment " + deployment));
    }

    private static Job initJob(Manifests manifests) {
        return manifests.named(Job.class, LocalEmulator.INIT_JOB).orElseThrow(() -> new AssertionError(manifests + " has no Job " + LocalEmulator.INIT_JOB));
    }

    private static void assertUnprivilegedAndBounded(String name, Container container) {
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name + " allowPrivilegeEscalation").isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(name + " capabilities dropped").containsExactly("ALL");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name + " readOnlyRootFilesystem")
                .isEqualTo(!WRITE_THEIR_ROOT_FILE_SYSTEM.contains(container.getName()));
        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();
        assertThat(requests).as(name + " requests").containsKeys("cpu", "memory");
        assertThat(limits).as(name + " limits").containsKeys("cpu", "memory");
    }

    private static List<Container> containers(PodSpec spec) {
        List<Container> containers = new ArrayList<>(Optional.ofNullable(spec.getInitContainers()).orElse(List.of()));
        containers.addAll(spec.getContainers());
        return containers;
    }

    /** Every host:port a pod's containers are given (variables, ConfigMaps they read) or wait on (bash). */
    private static Set<String> endpoints(Pod pod, Manifests manifests) {
        Set<String> endpoints = new TreeSet<>();
        for (Container container : containers(pod.spec())) {
            Map<String, String> environment = new LinkedHashMap<>();
            for (EnvFromSource source : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
                if (source.getConfigMapRef() != null) {
                    environment.putAll(manifests.configMap(source.getConfigMapRef().getName()).getData());
                }
            }
            for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                environment.put(variable.getName(), variable.getValue());
            }
            environment.forEach((name, value) -> {
                if (value != null && ENDPOINT_VARIABLE.matcher(name).matches()) {
                    for (String one : value.split(",")) {
                        Matcher endpoint = HOST_AND_PORT.matcher(one.strip());
                        if (!endpoint.matches()) {
                            throw new AssertionError(pod.name + "'s " + name + " is no host:port nor URL of one: " + value);
                        }
                        endpoints.add(endpoint.group(1) + ":" + endpoint.group(2));
                    }
                }
            });
            if (environment.get("WAREHOUSE_HOST") != null) {
                endpoints.add(environment.get("WAREHOUSE_HOST") + ":" + environment.getOrDefault("WAREHOUSE_PORT", "5432"));
            }
            endpoints.addAll(bashConnections(container));
        }
        return endpoints;
    }

    private static List<String> bashConnections(Container container) {
        List<String> connections = new ArrayList<>();
        Stream.concat(Optional.ofNullable(container.getCommand()).orElse(List.of()).stream(),
                Optional.ofNullable(container.getArgs()).orElse(List.of()).stream()).forEach(argument -> {
            Matcher connection = BASH_CONNECTION.matcher(argument);
            while (connection.find()) {
                connections.add(connection.group(1) + ":" + connection.group(2));
            }
        });
        return connections;
    }

    /** The Service named as the endpoint's host with its port, and a Deployment's pod it selects that exposes the target. */
    private static Optional<Listener> listener(Manifests manifests, String endpoint) {
        String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        Optional<Service> service = manifests.named(Service.class, host);
        if (service.isEmpty() || service.get().getSpec().getSelector() == null || service.get().getSpec().getSelector().isEmpty()) {
            return Optional.empty();
        }
        Optional<ServicePort> servicePort = service.get().getSpec().getPorts().stream().filter(candidate -> candidate.getPort() == port).findFirst();
        if (servicePort.isEmpty()) {
            return Optional.empty();
        }
        var selector = new LabelSelectorBuilder().withMatchLabels(service.get().getSpec().getSelector()).build();
        for (Pod pod : pods(manifests)) {
            if (!pod.isDeployment() || !Selectors.matches(selector, pod.labels())) {
                continue;
            }
            for (Container container : pod.spec().getContainers()) {
                for (ContainerPort exposed : Optional.ofNullable(container.getPorts()).orElse(List.of())) {
                    var target = servicePort.get().getTargetPort();
                    boolean reached = target == null ? exposed.getContainerPort() == port
                            : target.getStrVal() != null ? target.getStrVal().equals(exposed.getName())
                            : target.getIntVal().equals(exposed.getContainerPort());
                    if (reached) {
                        return Optional.of(new Listener(pod, exposed.getContainerPort()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The Secret and key a file variable's path is mounted from, through the container's volume mounts. */
    private static SecretKey secretFile(Pod pod, String variable) {
        Container container = pod.spec().getContainers().getFirst();
        String path = container.getEnv().stream().filter(candidate -> candidate.getName().equals(variable)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(pod.name + " is given no " + variable));
        VolumeMount mount = container.getVolumeMounts().stream().filter(candidate -> path.startsWith(candidate.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(pod.name + " mounts nothing at " + path));
        String file = path.substring(mount.getMountPath().length() + 1);
        SecretVolumeSource secret = pod.spec().getVolumes().stream().filter(volume -> volume.getName().equals(mount.getName()))
                .map(Volume::getSecret).filter(source -> source != null).findFirst()
                .orElseThrow(() -> new AssertionError(pod.name + "'s " + path + " is not on a Secret's volume"));
        String key = secret.getItems() == null || secret.getItems().isEmpty() ? file : secret.getItems().stream()
                .filter(item -> item.getPath().equals(file)).map(item -> item.getKey()).findFirst()
                .orElseThrow(() -> new AssertionError(pod.name + "'s " + path + " is no item of the Secret " + secret.getSecretName()));
        return new SecretKey(secret.getSecretName(), key);
    }
}
