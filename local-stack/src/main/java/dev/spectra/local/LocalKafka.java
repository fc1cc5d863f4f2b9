package dev.spectra.local;

import dev.spectra.common.messaging.Topics;

import java.util.List;
import java.util.stream.Stream;

/**
 * The local stack's Kafka, with the topics provisioned the way infrastructure code does in AWS: either one
 * broker in this JVM ({@link InProcessKafka}, the default) or a cluster of broker processes that can be
 * killed and restarted one at a time ({@link KafkaBrokerProcesses}).
 */
public sealed interface LocalKafka extends AutoCloseable permits InProcessKafka, KafkaBrokerProcesses {

    /** Partitions per topic: enough for several workers to share the load locally. */
    int PARTITIONS = 6;

    /** Every topic with its {@code .DLT} twin, and the audit trail, which nobody consumes in a service. */
    List<String> TOPICS = Stream.concat(Stream.of(Topics.QUERY_REQUESTS, Topics.STATEMENT_RESULTS, Topics.JOB_EVENTS)
                    .flatMap(topic -> Stream.of(topic, topic + ".DLT")), Stream.of(Topics.AUDIT))
            .toList();

    /** Every broker's address, comma-separated, as clients take it. */
    String bootstrapServers();

    @Override
    void close();
}
