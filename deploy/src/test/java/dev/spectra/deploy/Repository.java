package dev.spectra.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files of the repository the tests hold the manifests against: docs, the services' configuration and code. */
final class Repository {

    static final Path ROOT = findRoot();

    // A row of DEPLOYING.md's topic table: | `spectra.query-requests` | 24 | ...
    private static final Pattern TOPIC_ROW = Pattern.compile("^\\| `(spectra\\.[\\w.-]+)` \\| (\\d+)\\b", Pattern.MULTILINE);

    private static final Pattern CONNECTION_BUDGET = Pattern.compile("connection budget is\\s+(\\d+)");
    private static final YAMLMapper YAML = new YAMLMapper();

    private Repository() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every leaf of a module's application.yml, by its dotted property name ({@code spring.kafka.consumer.group-id}). */
    static Map<String, String> applicationProperties(String module) {
        Map<String, String> properties = new LinkedHashMap<>();
        flatten("", YAML.readTree(path(module + "/src/main/resources/application.yml").toFile()), properties);
        return properties;
    }

    /** The partition count of a topic, as docs/DEPLOYING.md's topic table states it. */
    /** The warehouse connections the query worker fleet may hold at most, from docs/DEPLOYING.md. */
    static int warehouseConnectionBudget() {
        Matcher budget = CONNECTION_BUDGET.matcher(read("docs/DEPLOYING.md"));
        if (!budget.find()) {
            throw new AssertionError("docs/DEPLOYING.md states no connection budget (\"connection budget is N\")");
        }
        return Integer.parseInt(budget.group(1));
    }

    static int partitionCount(String topic) {
        Matcher row = TOPIC_ROW.matcher(read("docs/DEPLOYING.md"));
        while (row.find()) {
            if (row.group(1).equals(topic)) {
                return Integer.parseInt(row.group(2));
            }
        }
        throw new AssertionError("docs/DEPLOYING.md's topic table has no row for " + topic);
    }

    /** The value of a {@code String} constant declared in a source file. */
    static String stringConstant(String sourceFile, String constant) {
        Matcher declaration = Pattern.compile("\\b" + Pattern.quote(constant) + "\\s*=\\s*\"([^\"]*)\"").matcher(read(sourceFile));
        if (!declaration.find()) {
            throw new AssertionError(sourceFile + " declares no String constant " + constant);
        }
        return declaration.group(1);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> properties) {
        if (node.isObject()) {
            node.properties().forEach(entry -> flatten(prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey(), entry.getValue(), properties));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), properties);
            }
        } else {
            properties.put(prefix, node.asString());
        }
    }

    // Surefire runs in deploy/, an IDE perhaps at the root: look upwards for the manifests.
    private static Path findRoot() {
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            if (Files.isRegularFile(directory.resolve("k8s/base/kustomization.yaml"))) {
                return directory;
            }
        }
        throw new IllegalStateException("no k8s/base/kustomization.yaml in " + Path.of("").toAbsolutePath() + " or above it");
    }
}
