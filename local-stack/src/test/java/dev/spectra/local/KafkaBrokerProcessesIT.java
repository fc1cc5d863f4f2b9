package dev.spectra.local;

import dev.spectra.common.messaging.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack's Kafka as three broker processes: replicated like a production cluster, and a broker
 * killed with SIGKILL and started again loses no acknowledged record and refuses no write meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaBrokerProcessesIT {

    private KafkaBrokerProcesses kafka;
    private Admin admin;

    @BeforeAll
    void startThreeBrokers() {
        Path state = TestRepository.root().resolve("local-stack/target/kafka-brokers");
        LocalStack.deleteRecursively(state);
        kafka = KafkaBrokerProcesses.start(3, state.resolve("run"), state.resolve("logs"));
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        admin = Admin.create(properties);
    }

    @AfterAll
    void stopThem() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyTopicHasThreeReplicasAndNeedsTwoInSync() throws Exception {
        assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
        Map<String, TopicDescription> topics = admin.describeTopics(LocalKafka.TOPICS).allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(topics.values()).allSatisfy(topic -> {
            assertThat(topic.partitions()).hasSize(LocalKafka.PARTITIONS);
            assertThat(topic.partitions()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
        });
        ConfigResource queryRequests = new ConfigResource(ConfigResource.Type.TOPIC, Topics.QUERY_REQUESTS);
        Config config = admin.describeConfigs(List.of(queryRequests)).all().get(30, TimeUnit.SECONDS).get(queryRequests);
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
    }

    @Test
    void aBrokerKilledAndRestartedLosesNoAcknowledgedRecord() throws Exception {
        Set<String> sent = new HashSet<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 50; i++) {
                send(producer, "before-" + i, sent);
            }
            kafka.kill(1);
            for (int i = 0; i < 50; i++) {
                send(producer, "while-down-" + i, sent);
            }
            kafka.restart(1);
            kafka.awaitFullyReplicated(Duration.ofSeconds(60));
            for (int i = 0; i < 50; i++) {
                send(producer, "after-" + i, sent);
            }
        }
        // The internal topic's replicas, created by the first consumer group: as many as the topics'.
        assertThat(consumeAll(sent.size())).containsExactlyInAnyOrderElementsOf(sent);
        TopicDescription offsets = admin.describeTopics(List.of("__consumer_offsets")).allTopicNames().get(30, TimeUnit.SECONDS)
                .get("__consumer_offsets");
        assertThat(offsets.partitions()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
    }

    private static void send(KafkaProducer<String, String> producer, String value, Set<String> sent) throws Exception {
        producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, value, value)).get(60, TimeUnit.SECONDS);
        sent.add(value);
    }

    private KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private List<String> consumeAll(int expected) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_EVENTS));
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < giveUp) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync();
        }
        return values;
    }
}
