package dev.spectra.local;

import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.DynamoDbJobStore;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobStore;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.job.JobTable.JobKey;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultSummary;
import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The workers' {@link DynamoDbJobStore} against DynamoDB Local, not a fake: the compare-and-set is the
 * engine's condition expression, and the index of active jobs is the engine's sparse GSI. Every test
 * gets its own job table, created with {@link JobTable#createTable} as the launcher creates it.
 */
class JobStoreOnDynamoDbLocalTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    /** The attribute that puts a job into the index of active jobs; absent on ended jobs. */
    private static final String ACTIVE_SHARD = "active_shard";
    /** DynamoDB Local updates its GSIs synchronously; AWS only promises eventually. */
    private static final Duration INDEX_PATIENCE = Duration.ofSeconds(5);

    private static LocalDynamoDb dynamoDb;
    private static DynamoDbClient client;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private String table;
    private JobStore store;

    @BeforeAll
    static void startDynamoDbLocal() {
        dynamoDb = LocalDynamoDb.start(TestRepository.root().resolve("local-stack/target/runtime/native"), List.of());
        client = LocalAws.dynamoDb(dynamoDb.endpoint());
    }

    @AfterAll
    static void stopDynamoDbLocal() {
        if (client != null) {
            client.close();
        }
        if (dynamoDb != null) {
            dynamoDb.close();
        }
    }

    @BeforeEach
    void createJobTable() {
        table = "jobs-" + UUID.randomUUID();
        client.createTable(JobTable.createTable(table));
        store = new DynamoDbJobStore(client, table);
    }

    @Test
    void eightConcurrentInsertsUnderOneIdempotencyKeyMakeExactlyOneJob() throws Exception {
        String keyHash = "a".repeat(64);
        List<Job> candidates = IntStream.range(0, 8).mapToObj(i -> aQueuedJob(ACME, now)).toList();
        List<Boolean> won = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> threads = candidates.stream().map(job -> Thread.ofPlatform().start(() -> {
            try {
                start.await();
                client.transactWriteItems(JobTable.insertWithIdempotencyKey(table, job, keyHash, "request-1", now,
                        now.plus(Duration.ofHours(24))));
                won.add(true);
            } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException lost) {
                won.add(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).toList();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(won).hasSize(8).containsOnlyOnce(true);
        JobTable.IdempotencyRecord record = JobTable.idempotencyRecordOf(
                client.getItem(JobTable.getIdempotencyKey(table, ACME, keyHash)).item());
        List<JobId> stored = candidates.stream().filter(job -> store.find(ACME, job.jobId()).isPresent()).map(Job::jobId).toList();
        assertThat(stored).containsExactly(record.jobId());
    }

    @Test
    void anIdempotencyKeysItemIsInvisibleToListingsAndTheIndexOfActiveJobs() {
        Job job = aQueuedJob(ACME, now);
        client.transactWriteItems(JobTable.insertWithIdempotencyKey(table, job, "b".repeat(64), "request-1", now, now.plusSeconds(60)));

        var listed = client.query(JobTable.tenantJobs(table, ACME, dev.spectra.common.job.JobFilter.ALL, null, 10)).items();

        assertThat(listed).extracting(item -> item.get("job_id").s()).containsExactly(job.jobId().value());
        assertThat(store.expiredLeases(now.plus(Duration.ofDays(1)), 10)).extracting(JobKey::jobId).containsExactly(job.jobId());
    }

    @Test
    void anExpiredKeyIsTakenOverEvenBeforeTheTtlDeletesIt() {
        String keyHash = "c".repeat(64);
        Job first = aQueuedJob(ACME, now);
        Job second = aQueuedJob(ACME, now);
        client.transactWriteItems(JobTable.insertWithIdempotencyKey(table, first, keyHash, "request-1", now, now.plusSeconds(10)));

        client.transactWriteItems(JobTable.insertWithIdempotencyKey(table, second, keyHash, "request-2", now.plusSeconds(11),
                now.plusSeconds(100)));

        assertThat(JobTable.idempotencyRecordOf(client.getItem(JobTable.getIdempotencyKey(table, ACME, keyHash)).item()).jobId())
                .isEqualTo(second.jobId());
    }

    @Test
    void findsTheLatestWriteOnlyUnderTheJobsOwnTenant() {
        Job queued = inserted(aQueuedJob(ACME, now));
        Job running = store.replace(queued, claimed(queued, "worker-a")).orElseThrow();

        assertThat(store.find(ACME, queued.jobId())).contains(running);
        assertThat(store.find(GLOBEX, queued.jobId())).as("another tenant's key").isEmpty();
        assertThat(store.find(ACME, JobId.random())).isEmpty();
    }

    @Test
    void anExportedResultsSummaryAndTheClientsDeliveryOptionsRoundTripThroughTheTable() {
        DeliveryOptions options = new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP, 500L, null);
        Job queued = inserted(Job.queued(ACME, JobId.random(), "SELECT 1", "acme_user", 3, options, JobOptions.NONE, 5_000_000L, now, Duration.ofDays(7)));
        Job delivering = store.replace(queued, claimed(queued, "worker-a")).flatMap(running ->
                store.replace(running, running.withStatementId("s-1", now).transitionTo(JobStatus.DELIVERING, now)
                        .leasedTo("delivery/worker-b", now.plusSeconds(30)))).orElseThrow();
        ResultSummary summary = new ResultSummary(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP, 500, 12_345, true, 2,
                new ResultLocation("spectra-results", ResultLocation.jobPrefix(ACME, queued.jobId()) + "d4/manifest.json"));

        Job succeeded = store.replace(delivering, delivering.succeeded(summary, null, now.plusSeconds(1))).orElseThrow();

        Job read = store.find(ACME, queued.jobId()).orElseThrow();
        assertThat(read).isEqualTo(succeeded);
        assertThat(read.delivery()).isEqualTo(options);
        assertThat(read.maxResultBytes()).isEqualTo(5_000_000L);
        assertThat(read.result()).isEqualTo(summary);
        assertThat(read.isBeingDelivered(now)).as("ended: no lease").isFalse();
        assertThat(delivering.isBeingDelivered(now)).isTrue();
    }

    @Test
    void replaceAtTheCurrentVersionWritesTheNextVersion() {
        Job queued = inserted(aQueuedJob(ACME, now));

        Job written = store.replace(queued, claimed(queued, "worker-a")).orElseThrow();

        assertThat(written.version()).isEqualTo(queued.version() + 1);
        assertThat(written.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(written.lease().owner()).isEqualTo("worker-a");
        assertThat(store.find(ACME, queued.jobId())).contains(written);
    }

    @Test
    void claimUnownedLeasesANewJobInOneWriteAndOnlyOnce() {
        Job queued = inserted(aQueuedJob(ACME, now));
        Instant until = now.plusSeconds(15);

        Job claimed = store.claimUnowned(ACME, queued.jobId(), "worker-a", until).orElseThrow();

        assertThat(claimed.version()).isEqualTo(queued.version() + 1);
        assertThat(claimed.lease()).isEqualTo(new Job.Lease("worker-a", until));
        assertThat(claimed).usingRecursiveComparison().ignoringFields("version", "lease").isEqualTo(queued);
        assertThat(store.find(ACME, queued.jobId())).contains(claimed);
        assertThat(store.claimUnowned(ACME, queued.jobId(), "worker-b", until)).as("already claimed").isEmpty();
        assertThat(store.find(ACME, queued.jobId())).contains(claimed);
        assertThat(store.expiredLeases(until.plusMillis(1), 10)).extracting(JobKey::jobId).containsExactly(queued.jobId());
    }

    @Test
    void claimUnownedRefusesEndedRunningAndAbsentJobsWithoutWriting() {
        Job queued = inserted(aQueuedJob(ACME, now));
        Job running = store.replace(queued, claimed(queued, "worker-a")).orElseThrow();
        Job other = inserted(aQueuedJob(ACME, now));
        Job ended = store.replace(other, other.endWith(JobStatus.CANCELLED,
                JobError.of(ErrorCode.QUERY_CANCELLED, "cancelled by the user"), now)).orElseThrow();

        assertThat(store.claimUnowned(ACME, running.jobId(), "worker-b", now.plusSeconds(15))).isEmpty();
        assertThat(store.claimUnowned(ACME, ended.jobId(), "worker-b", now.plusSeconds(15))).isEmpty();
        assertThat(store.claimUnowned(ACME, JobId.random(), "worker-b", now.plusSeconds(15))).as("no such job").isEmpty();
        assertThat(store.claimUnowned(GLOBEX, other.jobId(), "worker-b", now.plusSeconds(15))).as("another tenant's key").isEmpty();
        assertThat(store.find(ACME, running.jobId())).contains(running);
        assertThat(store.find(ACME, ended.jobId())).contains(ended);
        assertThat(store.find(GLOBEX, other.jobId())).as("refused, not created").isEmpty();
    }

    @Test
    void staleReplaceLosesAndLeavesTheWinnersJobInPlace() {
        Job queued = inserted(aQueuedJob(ACME, now));
        Job winner = store.replace(queued, claimed(queued, "worker-a")).orElseThrow();

        var loser = store.replace(queued, queued.endWith(JobStatus.CANCELLED,
                JobError.of(ErrorCode.QUERY_CANCELLED, "cancelled by the user"), now));

        assertThat(loser).isEmpty();
        assertThat(store.find(ACME, queued.jobId())).contains(winner);
    }

    @Test
    void staleReplaceLosesEvenWhenItWouldWriteTheSameStatus() {
        Job queued = inserted(aQueuedJob(ACME, now));
        Job winner = store.replace(queued, claimed(queued, "worker-a")).orElseThrow();

        assertThat(store.replace(queued, claimed(queued, "worker-b"))).isEmpty();
        assertThat(store.find(ACME, queued.jobId())).contains(winner);
    }

    @Test
    void retriedPutWhoseFirstResponseWasLostIsRecognisedAsOurOwnWrite() {
        Job queued = inserted(aQueuedJob(ACME, now));
        Job next = claimed(queued, "worker-a");
        JobTable.Write write = JobTable.replace(table, queued, next);
        client.putItem(write.request());
        assertThatThrownBy(() -> client.putItem(write.request()))
                .as("the retried put fails its own condition: the version already moved, to this write")
                .isInstanceOf(ConditionalCheckFailedException.class);

        var retried = store.replace(queued, next);

        assertThat(retried).contains(write.written());
        assertThat(store.find(ACME, queued.jobId())).contains(write.written());
    }

    @Test
    void expiredLeasesAreExactlyTheActiveJobsWhoseLeaseLapsedAcrossShards() {
        List<JobKey> lapsed = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Job queued = inserted(aQueuedJob(i % 2 == 0 ? ACME : GLOBEX, now.minusSeconds(60)));
            // Half never claimed in time, half claimed by a worker that then stopped renewing.
            Job job = i % 4 < 2 ? queued : store.replace(queued, queued.leasedTo("frozen-worker", now.minusSeconds(1))
                    .transitionTo(JobStatus.RUNNING, now.minusSeconds(50))).orElseThrow();
            lapsed.add(keyOf(job));
        }
        inserted(aQueuedJob(ACME, now));
        Job renewed = inserted(aQueuedJob(GLOBEX, now.minusSeconds(60)));
        store.replace(renewed, claimed(renewed, "live-worker")).orElseThrow();
        Job leaseEndsNow = inserted(aQueuedJob(ACME, now.minus(Job.FIRST_CLAIM_WITHIN)));
        Job succeeded = endedSucceeded(inserted(aQueuedJob(ACME, now.minusSeconds(60))));
        Job cancelled = inserted(aQueuedJob(GLOBEX, now.minusSeconds(60)));
        store.replace(cancelled, cancelled.endWith(JobStatus.CANCELLED,
                JobError.of(ErrorCode.QUERY_CANCELLED, "cancelled by the user"), now.minusSeconds(10))).orElseThrow();

        assertThat(lapsed.stream().map(this::shardOf).distinct()).as("the lapsed jobs span shards").hasSizeGreaterThan(1);
        assertThat(rawItem(keyOf(succeeded))).doesNotContainKey(ACTIVE_SHARD);
        assertThat(rawItem(keyOf(cancelled))).doesNotContainKey(ACTIVE_SHARD);
        assertThat(leaseEndsNow.lease().expiresAt()).as("expired at now, not before it").isEqualTo(now);
        await().atMost(INDEX_PATIENCE).untilAsserted(() ->
                assertThat(store.expiredLeases(now, 100)).containsExactlyInAnyOrderElementsOf(lapsed));
    }

    @Test
    void expiredLeasesReturnsAtMostTheLimitPerShardSoonestExpiredFirst() {
        List<Job> lapsed = IntStream.range(0, 24)
                .mapToObj(i -> inserted(aQueuedJob(ACME, now.minusSeconds(100 - i))))
                .toList();
        Map<String, JobKey> soonestPerShard = lapsed.stream().collect(Collectors.toMap(
                job -> shardOf(keyOf(job)), this::keyOf, (soonest, later) -> soonest));

        await().atMost(INDEX_PATIENCE).untilAsserted(() ->
                assertThat(store.expiredLeases(now, 1)).containsExactlyInAnyOrderElementsOf(soonestPerShard.values()));
    }

    @Test
    void aJobLeavesTheIndexWhenItSucceeds() {
        Job job = inserted(aQueuedJob(ACME, now.minusSeconds(60)));
        await().atMost(INDEX_PATIENCE).untilAsserted(() -> assertThat(store.expiredLeases(now, 10)).containsExactly(keyOf(job)));

        endedSucceeded(job);

        await().atMost(INDEX_PATIENCE).untilAsserted(() -> assertThat(store.expiredLeases(now, 10)).isEmpty());
        assertThat(store.find(ACME, job.jobId()).orElseThrow().lease()).isNull();
    }

    @Test
    void theLaunchersJobTableHasTheIndexOfActiveJobs() {
        var description = client.describeTable(request -> request.tableName(JobTable.DEFAULT_NAME)).table();

        assertThat(description.globalSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo(JobTable.ACTIVE_INDEX);
            assertThat(index.keySchema()).extracting(KeySchemaElement::attributeName, KeySchemaElement::keyType)
                    .containsExactly(
                            tuple(ACTIVE_SHARD, KeyType.HASH),
                            tuple("lease_expires_at", KeyType.RANGE));
            assertThat(index.projection().projectionType()).isEqualTo(ProjectionType.KEYS_ONLY);
            assertThat(index.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
        });
    }

    private static Job aQueuedJob(TenantId tenant, Instant submittedAt) {
        return Job.queued(tenant, JobId.random(), "select region, count(*) from orders group by region",
                "u_" + tenant.value(), submittedAt, Duration.ofDays(7));
    }

    private Job inserted(Job job) {
        client.putItem(JobTable.insert(table, job));
        return job;
    }

    private Job claimed(Job queued, String worker) {
        return queued.leasedTo(worker, now.plusSeconds(60)).transitionTo(JobStatus.RUNNING, now);
    }

    private Job endedSucceeded(Job queued) {
        Job running = store.replace(queued, claimed(queued, "worker-a")).orElseThrow();
        Job delivering = store.replace(running, running.transitionTo(JobStatus.DELIVERING, now)).orElseThrow();
        Job succeeded = store.replace(delivering, delivering.succeeded(1, "{\"rows\":[[1]]}", now)).orElseThrow();
        assertThat(succeeded.status()).isEqualTo(JobStatus.SUCCEEDED);
        return succeeded;
    }

    private JobKey keyOf(Job job) {
        return new JobKey(job.tenantId(), job.jobId());
    }

    private Map<String, AttributeValue> rawItem(JobKey key) {
        return client.getItem(JobTable.get(table, key.tenantId(), key.jobId())).item();
    }

    private String shardOf(JobKey key) {
        return rawItem(key).get(ACTIVE_SHARD).s();
    }
}
