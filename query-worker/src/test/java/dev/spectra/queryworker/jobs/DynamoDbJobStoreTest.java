package dev.spectra.queryworker.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.spectra.queryworker.testing.JobFixtures.GLOBEX;
import static dev.spectra.queryworker.testing.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamoDbJobStoreTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:01:00Z");

    private final FakeDynamoDb dynamoDb = new FakeDynamoDb();
    private final DynamoDbJobStore store = new DynamoDbJobStore(dynamoDb, "jobs");

    @Test
    void findsTheJobWithAConsistentRead() {
        Job job = stored(aQueuedJob().build());

        assertThat(store.find(job.tenantId(), job.jobId())).contains(job);
        assertThat(dynamoDb.lastGet.consistentRead()).isTrue();
        assertThat(dynamoDb.lastGet.tableName()).isEqualTo("jobs");
    }

    @Test
    void findsNothingUnderAnotherTenant() {
        Job job = stored(aQueuedJob().build());

        assertThat(store.find(GLOBEX, job.jobId())).isEmpty();
    }

    @Test
    void replacesTheJobWhileItsVersionIsUnchanged() {
        Job queued = stored(aQueuedJob().build());

        Job running = store.replace(queued, queued.transitionTo(JobStatus.RUNNING, NOW)).orElseThrow();

        assertThat(running.version()).isEqualTo(queued.version() + 1);
        assertThat(store.find(queued.tenantId(), queued.jobId())).contains(running);
    }

    @Test
    void reportsALostRaceWhenAnotherWriterChangedTheJob() {
        Job queued = stored(aQueuedJob().build());
        store.replace(queued, queued.transitionTo(JobStatus.RUNNING, NOW)).orElseThrow();

        assertThat(store.replace(queued, queued.transitionTo(JobStatus.RUNNING, NOW.plusSeconds(1)))).isEmpty();
    }

    @Test
    void recognisesItsOwnWriteWhenARetriedPutFailsItsCondition() {
        Job queued = stored(aQueuedJob().build());
        Job running = queued.transitionTo(JobStatus.RUNNING, NOW);
        dynamoDb.loseNextPutResponse = true;

        assertThatThrownBy(() -> store.replace(queued, running)).isInstanceOf(SdkClientException.class);

        assertThat(store.replace(queued, running)).hasValueSatisfying(written -> {
            assertThat(written.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(written.version()).isEqualTo(queued.version() + 1);
        });
    }

    private Job stored(Job job) {
        dynamoDb.putItem(JobTable.insert("jobs", job));
        return JobTable.fromItem(JobTable.toItem(job));
    }

    /** Items by key, honouring the two conditions the job table uses. */
    private static final class FakeDynamoDb implements DynamoDbClient {
        private final Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items = new ConcurrentHashMap<>();
        GetItemRequest lastGet;
        boolean loseNextPutResponse;

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            lastGet = request;
            return GetItemResponse.builder().item(items.get(request.key())).build();
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            Job job = JobTable.fromItem(request.item());
            Map<String, AttributeValue> key = JobTable.key(job.tenantId(), job.jobId());
            Map<String, AttributeValue> stored = items.get(key);
            if ("attribute_not_exists(#job_id)".equals(request.conditionExpression()) && stored != null
                    || "#version = :expected".equals(request.conditionExpression())
                    && (stored == null || !stored.get("version").equals(request.expressionAttributeValues().get(":expected")))) {
                throw ConditionalCheckFailedException.builder().message("The conditional request failed").build();
            }
            items.put(key, request.item());
            if (loseNextPutResponse) {
                loseNextPutResponse = false;
                throw SdkClientException.create("connection reset after the write");
            }
            return PutItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
