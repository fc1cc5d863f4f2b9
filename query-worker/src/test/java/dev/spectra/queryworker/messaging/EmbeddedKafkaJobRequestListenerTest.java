package dev.spectra.queryworker.messaging;

import org.springframework.kafka.test.context.EmbeddedKafka;

/** On spring-kafka-test's in-process broker (always KRaft in spring-kafka 4). */
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class EmbeddedKafkaJobRequestListenerTest extends JobRequestListenerTestBase {
}
