package dev.spectra.bench;

import dev.spectra.common.aws.AwsClients;
import dev.spectra.common.aws.AwsProperties;
import dev.spectra.common.aws.AwsService;
import dev.spectra.common.aws.Retries;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.local.LocalAws;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The baseline of {@code submission}: what the gateway's submit path does at its core ({@code JobSubmitter},
 * {@code DynamoDbJobStore.insert}, {@code KafkaJobQueue.request}), with the same clients set up the same way, and
 * nothing else: no HTTP, no token, no tenant lookup, no rate limit, no SQL guard, no JobEvent. A submission is a
 * conditional {@code PutItem} of a QUEUED job ({@code JobTable.insert}) through a {@link DynamoDbAsyncClient} (the SDK's
 * default async HTTP client, built by {@link AwsClients} as the gateway's is: its retries, call and attempt timeouts and
 * call timer), then, once it is
 * stored, a send of its {@code JobRequested} as JSON keyed by tenant, acknowledged, through a {@link KafkaProducer}
 * with the gateway's {@code spring.kafka.producer} settings.
 *
 * <p>Unlike the gateway's, these jobs must never run: they belong to a tenant the registry does not know
 * ({@link #TENANT}), their requests go to a topic of their own that no worker reads ({@link #TOPIC}), and their first
 * claim is due in a day rather than {@code Job.FIRST_CLAIM_WITHIN}, so that no sweeper takes them over before
 * {@link #delete} removes them. The item is otherwise the one the gateway writes for {@code SELECT 1}.
 */
final class BareSubmitter implements AutoCloseable {

    static final String TOPIC = "bench.bare-requests";
    static final TenantId TENANT = TenantId.of("bench-bare");
    /** The gateway's defaults: {@code spectra.gateway.job-retention}, {@code spectra.gateway.queries.max-timeout}. */
    private static final Duration RETENTION = Duration.ofDays(7);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration FIRST_CLAIM_WITHIN = Duration.ofDays(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DynamoDbAsyncClient dynamoDb;
    private final KafkaProducer<String, String> producer;
    private final String databaseUser;
    private final int maxConcurrentQueries;
    private final Clock clock = Clock.systemUTC();

    /**
     * @param databaseUser         the database user the job carries (a real tenant's, so the item has its size)
     * @param maxConcurrentQueries the registry's limit the job carries, as the gateway copies it
     */
    BareSubmitter(URI dynamoDbEndpoint, String kafkaBootstrapServers, int kafkaBrokers, String databaseUser, int maxConcurrentQueries) {
        AwsProperties aws = new AwsProperties(LocalAws.REGION.id(), Map.of(AwsService.DYNAMODB, dynamoDbEndpoint), false, null, null);
        this.dynamoDb = new AwsClients(aws, () -> LocalAws.REGION, LocalAws.credentials(), new SimpleMeterRegistry())
                .configure(DynamoDbAsyncClient.builder(), AwsService.DYNAMODB, Retries.BY_SDK)
                .build();
        createTopic(kafkaBootstrapServers, kafkaBrokers);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000",
                ProducerConfig.LINGER_MS_CONFIG, "0"));
        this.databaseUser = databaseUser;
        this.maxConcurrentQueries = maxConcurrentQueries;
    }

    /** The requests topic's twin: as many partitions as the stack's topics, every broker a replica. */
    private static void createTopic(String bootstrapServers, int brokers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) brokers))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create " + TOPIC + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One submission, from the job's creation to Kafka's acknowledgement of its request; returns the job's id. */
    JobId submit(String sql) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Job queued = Job.queued(TENANT, JobId.createdAt(now), sql, databaseUser, maxConcurrentQueries, DeliveryOptions.DEFAULT,
                new JobOptions(null, Map.of(), MAX_TIMEOUT, List.of()), null, now, RETENTION);
        Job job = new Job(queued.tenantId(), queued.jobId(), queued.status(), queued.version(), queued.sql(), queued.databaseUser(),
                queued.maxConcurrentQueries(), queued.delivery(), queued.options(), queued.maxResultBytes(), queued.submittedAt(),
                queued.updatedAt(), queued.expiresAt(), null, null, null, null, null, new Job.Lease(null, now.plus(FIRST_CLAIM_WITHIN)));
        dynamoDb.putItem(JobTable.insert(JobTable.DEFAULT_NAME, job)).join();
        String request = JSON.writeValueAsString(new JobRequested(job.jobId(), job.tenantId(), job.submittedAt()));
        try {
            producer.send(new ProducerRecord<>(TOPIC, job.tenantId().value(), request)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("bare send of " + job.jobId() + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return job.jobId();
    }

    /** A consistent read of the job, as the gateway's {@code GET /v1/queries/{id}} reads it ({@code JobTable.get}). */
    boolean read(TenantId tenant, JobId jobId) {
        GetItemResponse response = dynamoDb.getItem(JobTable.get(JobTable.DEFAULT_NAME, tenant, jobId)).join();
        return response.hasItem() && JobTable.fromItem(response.item()) != null;
    }

    /** Removes a bare job again (untimed, after the measurement). */
    void delete(JobId jobId) {
        dynamoDb.deleteItem(request -> request.tableName(JobTable.DEFAULT_NAME).key(JobTable.key(TENANT, jobId))).join();
    }

    /** The async HTTP clients the SDK can pick from here; with one, it is the one the gateway (which names none) gets too. */
    static List<String> asyncHttpServices() {
        return java.util.ServiceLoader.load(software.amazon.awssdk.http.async.SdkAsyncHttpService.class).stream()
                .map(provider -> provider.type().getName()).toList();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        dynamoDb.close();
    }
}
