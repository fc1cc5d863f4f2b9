package dev.spectra.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * docker-compose.yml as a tree, read as Compose reads it (YAML, no interpolation needed: the file uses none), with the
 * few views the tests need: a service's environment, its bind mounts, its dependencies.
 */
record ComposeFile(JsonNode tree) {

    static final String PATH = "docker-compose.yml";

    private static final YAMLMapper YAML = new YAMLMapper();

    static ComposeFile read() {
        return parse(Repository.read(PATH));
    }

    static ComposeFile parse(String yaml) {
        return new ComposeFile(YAML.readTree(yaml));
    }

    /** A copy to break on purpose. */
    ObjectNode copy() {
        return (ObjectNode) tree.deepCopy();
    }

    List<String> serviceNames() {
        return List.copyOf(tree.path("services").propertyNames());
    }

    JsonNode service(String name) {
        JsonNode service = tree.path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError(PATH + " has no service " + name);
        }
        return service;
    }

    /** The environment as a map, from either of Compose's forms ({@code KEY: value} or {@code - KEY=value}). */
    Map<String, String> environment(String name) {
        JsonNode environment = service(name).path("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment.isArray()) {
            for (JsonNode entry : environment) {
                String[] parts = entry.asString().split("=", 2);
                variables.put(parts[0], parts.length > 1 ? parts[1] : null);
            }
        } else {
            environment.properties().forEach(entry -> variables.put(entry.getKey(), entry.getValue().asString()));
        }
        return variables;
    }

    /** The service's command as a list of arguments; none when it has no {@code command}. */
    List<String> command(String name) {
        JsonNode command = service(name).path("command");
        List<String> arguments = new ArrayList<>();
        if (command.isString()) {
            arguments.addAll(List.of(command.asString().split("\\s+")));
        } else {
            command.forEach(argument -> arguments.add(argument.asString()));
        }
        return arguments;
    }

    /** The service's volumes in the short form {@code source:target[:mode]}. */
    List<Mount> mounts(String name) {
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode volume : service(name).path("volumes")) {
            String[] parts = volume.asString().split(":");
            if (parts.length < 2) {
                throw new AssertionError(name + "'s volume " + volume + " names no target: " + PATH + " mounts only source:target");
            }
            mounts.add(new Mount(parts[0], parts[1]));
        }
        return mounts;
    }

    /** The mount whose target holds {@code containerPath}, and the host path (relative to the repository) it maps to. */
    Optional<String> hostPathOf(String name, String containerPath) {
        return mounts(name).stream()
                .filter(Mount::isBind)
                .filter(mount -> containerPath.equals(mount.target()) || containerPath.startsWith(mount.target() + "/"))
                .findFirst()
                .map(mount -> mount.repositoryPath() + containerPath.substring(mount.target().length()));
    }

    /** Each dependency of the service with its condition. */
    Map<String, String> dependencies(String name) {
        Map<String, String> dependencies = new LinkedHashMap<>();
        JsonNode dependsOn = service(name).path("depends_on");
        if (dependsOn.isArray()) {
            dependsOn.forEach(dependency -> dependencies.put(dependency.asString(), "service_started"));
        } else {
            dependsOn.properties().forEach(entry -> dependencies.put(entry.getKey(), entry.getValue().path("condition").asString("service_started")));
        }
        return dependencies;
    }

    /** A volume: a bind mount when its source is a path ({@code ./deploy/compose}), else a named volume. */
    record Mount(String source, String target) {
        boolean isBind() {
            return source.startsWith(".") || source.startsWith("/");
        }

        /** The bind mount's source relative to the repository's root, where docker-compose.yml is. */
        String repositoryPath() {
            return source.replaceFirst("^\\./", "");
        }
    }
}
