package dev.spectra.local;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One KRaft broker in this JVM, the local stack's default: it starts in a few seconds, and nothing runs
 * that a test could kill on its own.
 */
final class InProcessKafka implements LocalKafka {

    private final EmbeddedKafkaKraftBroker broker;

    private InProcessKafka(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    static InProcessKafka start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, TOPICS.toArray(String[]::new));
        // As on a managed cluster: a topic nobody provisioned is an error, not a surprise new topic.
        broker.brokerProperty("auto.create.topics.enable", "false");
        // One broker, a handful of consumers: waiting 3 s for more members to join only delays the first job.
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        return new InProcessKafka(broker);
    }

    @Override
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
