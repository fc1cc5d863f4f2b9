package dev.spectra.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the environment a deployment gives a service (the manifests in k8s/, docker-compose.yml) names properties
 * of that service: Spring ignores a variable that names nothing, so a misspelt one would leave its default in force
 * without a word. Each service's catalogue ({@link KnownProperties}) is read once for every test that asks.
 */
final class ServiceEnvironment {

    /** Read by the JVM, not by Spring: admitted for every service. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    /** The AWS SDK's own variables, for the emulators that take any credentials; Spring reads none of them. */
    static final Set<String> AWS_SDK_VARIABLES = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_EC2_METADATA_DISABLED");

    private static final Map<Workload, KnownProperties> KNOWN = new ConcurrentHashMap<>();

    private ServiceEnvironment() {
    }

    static KnownProperties knownProperties(Workload workload) {
        return KNOWN.computeIfAbsent(workload, KnownProperties::of);
    }

    /**
     * One line for each variable that names no property of the workload's service, nor is the JVM's or in
     * {@code readByOthers} (e.g. the AWS SDK's own variables); {@code variables} maps each name to where it is set.
     */
    static List<String> unknown(Workload workload, Map<String, String> variables, Set<String> readByOthers) {
        KnownProperties known = knownProperties(workload);
        List<String> unknown = new ArrayList<>();
        variables.forEach((variable, source) -> {
            if (!JVM_VARIABLES.contains(variable) && !readByOthers.contains(variable) && !known.admits(variable)) {
                unknown.add("%s: %s (from %s) names no property of %s".formatted(workload.name, variable, source, workload.module));
            }
        });
        return unknown;
    }
}
