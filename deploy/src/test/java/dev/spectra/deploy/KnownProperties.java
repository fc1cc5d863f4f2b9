package dev.spectra.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.spectra.common.aws.AwsProperties;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The properties one service binds, and whether an environment variable names one of them. From: the service's own
 * property metadata (generated into its target/classes by spring-boot-configuration-processor), Spring Boot's
 * metadata on this module's classpath (server.*, management.*, spring.kafka.*), {@code spectra.aws.*} (bound with
 * the Binder, without metadata: read from {@link AwsProperties}), and the keys of the service's application.yml.
 *
 * <p>Spring Boot's environment form of a property is upper case with dots turned into underscores and dashes dropped
 * ({@code spectra.aws.s3-path-style} is {@code SPECTRA_AWS_S3PATHSTYLE}); under a map property any key follows its
 * prefix. Boot also accepts dashes turned into underscores for a plain property, but that form nests a map key, so
 * docs/DEPLOYING.md uses the canonical one only, and so does this check.
 */
final class KnownProperties {

    static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private static final JsonMapper JSON = new JsonMapper();

    private final String module;
    private final Set<String> properties;
    private final Set<String> mapPrefixes;

    private KnownProperties(String module, Set<String> properties, Set<String> mapPrefixes) {
        this.module = module;
        this.properties = Collections.unmodifiableSet(properties);
        this.mapPrefixes = Collections.unmodifiableSet(mapPrefixes);
    }

    static KnownProperties of(Workload workload) {
        Set<String> properties = new TreeSet<>();
        Set<String> mapPrefixes = new TreeSet<>();
        Path own = Repository.path(workload.module + "/target/classes/" + METADATA);
        if (!Files.isRegularFile(own)) {
            throw new IllegalStateException(own + " is missing: build " + workload.module + " before deploy (the root's "
                    + "./mvnw -B -ntp verify does, and so does -pl deploy -am), so that spring-boot-configuration-processor writes it");
        }
        readMetadata(own.toString(), read(own), properties, mapPrefixes);
        readClasspathMetadata(properties, mapPrefixes);
        readAwsProperties(properties, mapPrefixes);
        properties.addAll(workload.applicationProperties().keySet());
        return new KnownProperties(workload.module, properties, mapPrefixes);
    }

    /** The environment variable Spring Boot reads a property from. */
    static String environmentForm(String property) {
        return property.toUpperCase(Locale.ROOT).replace(".", "_").replace("-", "");
    }

    boolean admits(String environmentVariable) {
        return properties.stream().map(KnownProperties::environmentForm).anyMatch(environmentVariable::equals)
                || mapPrefixes.stream().map(prefix -> environmentForm(prefix) + "_")
                        .anyMatch(prefix -> environmentVariable.startsWith(prefix) && environmentVariable.length() > prefix.length());
    }

    boolean knows(String property) {
        return properties.contains(property) || mapPrefixes.contains(property);
    }

    @Override
    public String toString() {
        return module + "'s " + properties.size() + " properties and " + mapPrefixes.size() + " map properties";
    }

    private static void readClasspathMetadata(Set<String> properties, Set<String> mapPrefixes) {
        try {
            for (URL url : Collections.list(KnownProperties.class.getClassLoader().getResources(METADATA))) {
                try (InputStream in = url.openStream()) {
                    readMetadata(url.toString(), JSON.readTree(in), properties, mapPrefixes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readMetadata(String source, JsonNode metadata, Set<String> properties, Set<String> mapPrefixes) {
        JsonNode declared = metadata.path("properties");
        if (!declared.isArray() || declared.isEmpty()) {
            throw new IllegalStateException(source + " declares no properties");
        }
        for (JsonNode property : declared) {
            String name = property.path("name").asString();
            if (property.path("type").asString().startsWith("java.util.Map<")) {
                mapPrefixes.add(name);
            } else {
                properties.add(name);
            }
        }
    }

    private static void readAwsProperties(Set<String> properties, Set<String> mapPrefixes) {
        for (var component : AwsProperties.class.getRecordComponents()) {
            String name = AwsProperties.PREFIX + "." + dashed(component.getName());
            if (Map.class.isAssignableFrom(component.getType())) {
                mapPrefixes.add(name);
            } else {
                properties.add(name);
            }
        }
    }

    private static String dashed(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static JsonNode read(Path file) {
        return JSON.readTree(file.toFile());
    }
}
