package dev.spectra.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Parses Kubernetes YAML into fabric8's typed models, as fabric8 itself does, and refuses any field a model does not
 * know. fabric8 keeps unknown fields (and values of the wrong type) in each object's additional properties instead of
 * failing, so every object of the parsed graph is walked and all of them must be empty: a misspelt
 * {@code livenessprobe} would otherwise be dropped by the API server, silently, with the probe.
 */
final class StrictManifests {

    // Splits the stream into documents; a key twice in one object is an error, not the last one winning.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();

    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("apps/v1 Deployment", Deployment.class),
            Map.entry("batch/v1 Job", Job.class),
            Map.entry("v1 Service", Service.class),
            Map.entry("v1 ConfigMap", ConfigMap.class),
            Map.entry("v1 Secret", Secret.class),
            Map.entry("v1 ServiceAccount", ServiceAccount.class),
            Map.entry("v1 Namespace", Namespace.class),
            Map.entry("policy/v1 PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class),
            Map.entry("autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("keda.sh/v1alpha1 ScaledObject", ScaledObject.class));

    private StrictManifests() {
    }

    /** Every document of a YAML stream as its typed model; {@code source} names the stream in failures. */
    static List<Object> parse(String source, String yaml) {
        List<Object> resources = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            int index = 0;
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                index++;
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                resources.add(parse("%s (document %d)".formatted(source, index), document));
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
        }
        return resources;
    }

    private static Object parse(String source, JsonNode document) {
        String type = document.path("apiVersion").asString() + " " + document.path("kind").asString();
        Class<?> model = MODELS.get(type);
        if (model == null) {
            throw new IllegalArgumentException(source + ": no model for " + type + "; add it to StrictManifests if it belongs");
        }
        Object resource;
        try {
            // fabric8 has no model of KEDA's kind: the record's own fields, and no others.
            resource = model == ScaledObject.class ? YAML.treeToValue(document, model) : FABRIC8.convertValue(document, model);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(source + ": not a valid " + type + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": not a valid " + type + ": " + e.getMessage(), e);
        }
        List<String> unknown = unknownFields(resource);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + type + " " + document.at("/metadata/name").asString()
                    + " has fields its model does not know: " + unknown);
        }
        return resource;
    }

    /** The paths of every field that landed in an object's additional properties, anywhere in the graph. */
    static List<String> unknownFields(Object resource) {
        List<String> unknown = new ArrayList<>();
        walk("", resource, unknown);
        return unknown;
    }

    private static void walk(String path, Object value, List<String> unknown) {
        switch (value) {
            case null -> {
            }
            case Collection<?> elements -> {
                int index = 0;
                for (Object element : elements) {
                    walk(path + "[" + index++ + "]", element, unknown);
                }
            }
            case Map<?, ?> entries -> entries.forEach((key, entry) -> walk(path + "." + key, entry, unknown));
            default -> {
                if (isModel(value.getClass())) {
                    walkFields(path, value, unknown);
                }
            }
        }
    }

    // A model's fields are its JSON properties, and additionalProperties the ones its class does not declare.
    private static void walkFields(String path, Object model, List<String> unknown) {
        for (Class<?> type = model.getClass(); type != null && isModel(type); type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                    continue;
                }
                Object value = read(field, model);
                if (field.getName().equals("additionalProperties")) {
                    if (value instanceof Map<?, ?> additional) {
                        additional.keySet().forEach(key -> unknown.add(path + "." + key));
                    }
                } else {
                    walk(path + "." + jsonName(field), value, unknown);
                }
            }
        }
    }

    private static Object read(Field field, Object model) {
        try {
            field.setAccessible(true);
            return field.get(model);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    private static String jsonName(Field field) {
        JsonProperty property = field.getAnnotation(JsonProperty.class);
        return property == null || property.value().isEmpty() ? field.getName() : property.value();
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith(StrictManifests.class.getPackageName() + ".");
    }
}
