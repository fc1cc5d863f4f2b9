package dev.spectra.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's ScaledObject (keda.sh/v1alpha1), which fabric8 has no model of: the fields of KEDA 2's reference, no others,
 * so that a misspelt one fails the parse like a misspelt field of a core kind.
 */
record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    /** The Kafka scaler's metadata keys (https://keda.sh/docs/latest/scalers/apache-kafka/). */
    static final Set<String> KAFKA_METADATA = Set.of("bootstrapServers", "bootstrapServersFromEnv", "consumerGroup",
            "consumerGroupFromEnv", "topic", "topicFromEnv", "lagThreshold", "activationLagThreshold", "offsetResetPolicy",
            "allowIdleConsumers", "excludePersistentLag", "scaleToZeroOnInvalidOffset", "version", "partitionLimitation",
            "limitToPartitionsWithLag", "ensureEvenDistributionOfPartitions", "sasl", "tls");

    /** The Prometheus scaler's metadata keys (https://keda.sh/docs/latest/scalers/prometheus/). */
    static final Set<String> PROMETHEUS_METADATA = Set.of("serverAddress", "query", "threshold", "activationThreshold",
            "namespace", "customHeaders", "ignoreNullValues", "unsafeSsl", "queryParameters", "timeout");

    record Spec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod, Integer initialCooldownPeriod,
            Integer idleReplicaCount, Integer minReplicaCount, Integer maxReplicaCount, Fallback fallback, Advanced advanced,
            List<Trigger> triggers) {
    }

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    record Fallback(Integer failureThreshold, Integer replicas, String behavior) {
    }

    record Advanced(Boolean restoreToOriginalReplicaCount, HorizontalPodAutoscalerConfig horizontalPodAutoscalerConfig) {
    }

    record HorizontalPodAutoscalerConfig(String name, HorizontalPodAutoscalerBehavior behavior) {
    }

    record Trigger(String type, String name, String metricType, Boolean useCachedMetrics, Map<String, String> metadata,
            AuthenticationRef authenticationRef) {

        // KEDA ignores a metadata key it does not know, as the API server would a misspelt field.
        Trigger {
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
            Set<String> known = switch (type == null ? "" : type) {
                case "kafka" -> KAFKA_METADATA;
                case "prometheus" -> PROMETHEUS_METADATA;
                default -> throw new IllegalArgumentException("a trigger type Spectra does not use: " + type);
            };
            List<String> unknown = metadata.keySet().stream().filter(key -> !known.contains(key)).sorted().toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(type + " trigger metadata the scaler does not know: " + unknown);
            }
        }
    }

    record AuthenticationRef(String name, String kind) {
    }

    String name() {
        return metadata.getName();
    }

    /** The triggers of a type. */
    List<Trigger> triggers(String type) {
        return spec.triggers().stream().filter(trigger -> type.equals(trigger.type())).toList();
    }

    /** The one kafka trigger, which the workers' ScaledObjects have. */
    Trigger kafkaTrigger() {
        List<Trigger> kafka = triggers("kafka");
        if (kafka.size() != 1) {
            throw new AssertionError("ScaledObject " + name() + " has " + kafka.size() + " kafka triggers, not one");
        }
        return kafka.getFirst();
    }
}
