package dev.spectra.deploy;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** The three services as the manifests name them, and what their configuration says about their Kafka consumers. */
enum Workload {
    GATEWAY("spectra-gateway", "api-gateway-service", "spectra/api-gateway-service", null),
    QUERY_WORKER("spectra-query-worker", "query-worker", "spectra/query-worker", "spectra.topics.query-requests"),
    DELIVERY_WORKER("spectra-delivery-worker", "delivery-worker", "spectra/delivery-worker", "spectra.topics.statement-results");

    final String name;
    final String module;
    final String image;
    private final String consumedTopicProperty;

    Workload(String name, String module, String image, String consumedTopicProperty) {
        this.name = name;
        this.module = module;
        this.image = image;
        this.consumedTopicProperty = consumedTopicProperty;
    }

    static Workload named(String name) {
        return Arrays.stream(values())
                .filter(workload -> workload.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no service is deployed as " + name));
    }

    /** The service deployed as {@code name}; none for anything else (the local overlay's emulators). */
    static Optional<Workload> deployedAs(String name) {
        return Arrays.stream(values()).filter(workload -> workload.name.equals(name)).findFirst();
    }

    /** The service a module builds: docker-compose.yml names its services after their modules. */
    static Optional<Workload> ofModule(String module) {
        return Arrays.stream(values()).filter(workload -> workload.module.equals(module)).findFirst();
    }

    boolean isWorker() {
        return consumedTopicProperty != null;
    }

    /** The property naming the topic the worker's scaled consumer group reads. */
    String consumedTopicProperty() {
        return consumedTopicProperty;
    }

    /** The topic's default name, from the service's application.yml. */
    String consumedTopic() {
        return Optional.ofNullable(applicationProperties().get(consumedTopicProperty))
                .orElseThrow(() -> new AssertionError(module + "'s application.yml sets no " + consumedTopicProperty));
    }

    /** The worker's consumer group: spring.kafka.consumer.group-id, or the delivery worker's constant in code. */
    String consumerGroup() {
        return switch (this) {
            case QUERY_WORKER -> Optional.ofNullable(applicationProperties().get("spring.kafka.consumer.group-id"))
                    .orElseThrow(() -> new AssertionError("query-worker's application.yml sets no spring.kafka.consumer.group-id"));
            case DELIVERY_WORKER -> Repository.stringConstant(
                    "delivery-worker/src/main/java/dev/spectra/deliveryworker/messaging/StatementFinishedListener.java", "CONSUMER_GROUP");
            case GATEWAY -> throw new IllegalStateException("the gateway's consumer groups are one per instance");
        };
    }

    /** Consumers one pod runs in its group: spring.kafka.listener.concurrency, 1 unless set. */
    int consumersPerPod() {
        return Optional.ofNullable(applicationProperties().get("spring.kafka.listener.concurrency")).map(Integer::parseInt).orElse(1);
    }

    Map<String, String> applicationProperties() {
        return Repository.applicationProperties(module);
    }
}
