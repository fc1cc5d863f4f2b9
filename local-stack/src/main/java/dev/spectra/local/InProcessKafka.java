package dev.spectra.local;

import dev.spectra.common.messaging.Topics;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.util.List;
import java.util.stream.Stream;

/** An in-process KRaft broker with the topics provisioned the way infrastructure code does in AWS. */
public final class LocalKafka implements AutoCloseable {

    /** Partitions per topic: enough for several workers to share the load locally. */
    public static final int PARTITIONS = 6;

    public static final List<String> TOPICS = Stream.of(Topics.QUERY_REQUESTS, Topics.STATEMENT_RESULTS, Topics.JOB_EVENTS)
            .flatMap(topic -> Stream.of(topic, topic + ".DLT"))
            .toList();

    private final EmbeddedKafkaKraftBroker broker;

    private LocalKafka(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    public static LocalKafka start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, TOPICS.toArray(String[]::new));
        // As on a managed cluster: a topic nobody provisioned is an error, not a surprise new topic.
        broker.brokerProperty("auto.create.topics.enable", "false");
        // One broker, a handful of consumers: waiting 3 s for more members to join only delays the first job.
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        return new LocalKafka(broker);
    }

    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
