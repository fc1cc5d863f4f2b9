package dev.spectra.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A set of parsed manifests: the base's files, or what kubectl renders for an overlay.
 *
 * @param name      what the set is, for test names and failures
 * @param resources the typed models, in order
 */
record Manifests(String name, List<Object> resources) {

    Manifests {
        resources = List.copyOf(resources);
    }

    /** Every manifest of a kustomization directory's resources: its YAML files but kustomization.yaml. */
    static Manifests ofDirectory(String relative) {
        return new Manifests(relative, manifestFiles(Repository.path(relative))
                .flatMap(file -> StrictManifests.parse(Repository.ROOT.relativize(file).toString(), read(file)).stream())
                .toList());
    }

    /** What {@code kubectl kustomize} renders for an overlay. */
    static Manifests rendered(String overlay) {
        return new Manifests(overlay + " (rendered)", StrictManifests.parse("kubectl kustomize " + overlay, Kustomize.render(overlay)));
    }

    /** Every YAML file under a directory that is a manifest or a patch, not a kustomization. */
    static Stream<Path> manifestFiles(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().matches(".*\\.ya?ml"))
                    .filter(file -> !file.getFileName().toString().startsWith("kustomization."))
                    .sorted()
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(resource -> resource.getMetadata().getName().equals(name)).findFirst();
    }

    Optional<ScaledObject> scaledObject(String name) {
        return all(ScaledObject.class).stream().filter(scaled -> scaled.name().equals(name)).findFirst();
    }

    List<Deployment> deployments() {
        return all(Deployment.class);
    }

    /** The Deployments of Spectra's own services ({@link Workload}), without the local overlay's emulators. */
    List<Deployment> serviceDeployments() {
        return deployments().stream().filter(deployment -> Workload.deployedAs(deployment.getMetadata().getName()).isPresent()).toList();
    }

    ConfigMap configMap(String name) {
        return named(ConfigMap.class, name).orElseThrow(() -> new AssertionError(this.name + " has no ConfigMap " + name));
    }

    @Override
    public String toString() {
        return name;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
